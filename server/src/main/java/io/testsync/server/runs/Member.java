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
}
