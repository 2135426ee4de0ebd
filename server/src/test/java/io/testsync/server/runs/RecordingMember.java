package io.testsync.server.runs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A member that records every release it is given, with the token, for exact assertions. */
final class RecordingMember implements Member {

    /** One call of {@link Member#release}. */
    record Received(Release release, String token) {}

    private final String id;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    RecordingMember(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void release(Release release, String replyId) {
        received.add(new Received(release, replyId));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public String toString() {
        return id;
    }
}
