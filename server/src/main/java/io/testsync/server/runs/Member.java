package io.testsync.server.runs;

/**
 * One agent connection, as the run sees it: what it needs to deliver a release. The WebSocket layer
 * implements it; tests use a recording fake.
 */
public interface Member {

    /** Unique among live members of the server, for logs. */
    String id();

    /**
     * Delivers a checkpoint's release to this member. Called outside every lock, possibly from
     * another thread than the member's own; must not block.
     *
     * @param replyId the token this member passed with its join (the envelope id), may be null
     */
    void release(Release release, String replyId);

    // --- for the management API (SPEC §10); defaults keep simple fakes small --------------------

    /** The agent's name, for people (SPEC §9.1); the id when the connection has none. */
    default String agent() {
        return id();
    }

    /** The peer's address as {@code host:port}, or empty when unknown. */
    default String remote() {
        return "";
    }

    /** The protocol the connection speaks: the negotiated subprotocol, or {@code seed}. */
    default String protocol() {
        return "seed";
    }

    /** Server unix ms at which the connection was accepted; 0 when unknown. */
    default long connectedAtMs() {
        return 0;
    }

    /**
     * Closes the connection with {@code code} (an operator's removal: 4001); the member leaves its run
     * as with any close. Called from any thread, outside every lock; must not block.
     */
    default void close(int code, String reason) {
        throw new UnsupportedOperationException("member " + id() + " cannot be closed");
    }
}
