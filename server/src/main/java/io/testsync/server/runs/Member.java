package io.testsync.server.runs;

/**
 * One agent connection, as the run sees it: who it is and how to reach it. The WebSocket layer
 * implements it; tests use a recording fake. Every delivery but {@link #message} is called outside
 * every lock, possibly from another thread than the member's own, and must not block.
 */
public interface Member {

    /** The server-made connection id, unique for the life of the server (SPEC §9.1). */
    String id();

    /** The agent's name (SPEC §9.1): a label for people, two members may share it. */
    default String agent() {
        return id();
    }

    /** What the management API shows of this connection. */
    default MemberInfo info() {
        return new MemberInfo(id(), agent(), null, null, 0, null);
    }

    /**
     * Closes this member's connection, e.g. with 4001 when an operator removes it (SPEC §10); it then
     * leaves its run like any closed connection.
     */
    void disconnect(int code, String reason);

    /**
     * Delivers a checkpoint's release to this member.
     *
     * @param replyId the envelope id of this member's join (its JSON text), may be null
     */
    void release(Release release, String replyId);

    /**
     * Delivers one message of a topic this member subscribed to; {@code replyId} is the subscribe's id.
     * Unlike the other deliveries this one is called while the run's lock is held, so that every
     * subscriber is handed the messages of a topic in seq order even when publishers race (SPEC §9.3):
     * it must only queue the message for the member's own thread, never write to a socket or block.
     */
    void message(TopicMessage message, String replyId);

    /** The lock this member waited for is now its own; {@code replyId} is the lock request's id. */
    void lockGranted(String name, long fence, String replyId);

    /** The member's wait for the lock ended without it (its timeout passed first). */
    void lockTimedOut(String name, String replyId);
}
