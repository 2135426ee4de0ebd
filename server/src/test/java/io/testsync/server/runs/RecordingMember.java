package io.testsync.server.runs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A member that records every delivery it is given, with the reply id, for exact assertions. */
final class RecordingMember implements Member {

    /** One call of {@link Member#release}. */
    record Received(Release release, String token) {}

    /** One lock grant ({@code fence} > 0) or lock timeout ({@code fence} == 0). */
    record LockNotice(String name, long fence, String replyId) {}

    private final String id;
    private final String agent;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<TopicMessage> messages = new CopyOnWriteArrayList<>();
    private final List<LockNotice> locks = new CopyOnWriteArrayList<>();
    private final List<Integer> closes = new CopyOnWriteArrayList<>();

    RecordingMember(String id) {
        this(id, id);
    }

    RecordingMember(String id, String agent) {
        this.id = id;
        this.agent = agent;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public void release(Release release, String replyId) {
        received.add(new Received(release, replyId));
    }

    @Override
    public void message(TopicMessage message, String replyId) {
        messages.add(message);
    }

    @Override
    public void lockGranted(String name, long fence, String replyId) {
        locks.add(new LockNotice(name, fence, replyId));
    }

    @Override
    public void lockTimedOut(String name, String replyId) {
        locks.add(new LockNotice(name, 0, replyId));
    }

    @Override
    public void disconnect(int code, String reason) {
        closes.add(code);
    }

    /** Close codes it was asked to close with. */
    List<Integer> closes() {
        return List.copyOf(closes);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<TopicMessage> messages() {
        return List.copyOf(messages);
    }

    List<LockNotice> locks() {
        return List.copyOf(locks);
    }

    @Override
    public String toString() {
        return id;
    }
}
