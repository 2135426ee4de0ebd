package io.testsync.server.runs;

/** A member for checkpoint tests: anything but a release reaching it is a test failure. */
abstract class ReleaseOnlyMember implements Member {

    @Override
    public void message(TopicMessage message, String replyId) {
        throw new AssertionError("unexpected message to " + id() + ": " + message);
    }

    @Override
    public void lockGranted(String name, long fence, String replyId) {
        throw new AssertionError("unexpected lock grant to " + id() + ": " + name);
    }

    @Override
    public void disconnect(int code, String reason) {
        throw new AssertionError("unexpected disconnect of " + id() + ": " + code);
    }

    @Override
    public void lockTimedOut(String name, String replyId) {
        throw new AssertionError("unexpected lock timeout to " + id() + ": " + name);
    }
}
