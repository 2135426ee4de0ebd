package io.testsync.server.runs;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One named barrier of a run (SPEC §4). Not thread-safe: every access is guarded by the lock of the
 * {@link Run} that holds it.
 */
final class Checkpoint {

    final String identifier;
    final int target;

    /** Waiting members and the token of their FIRST join; identity, because members are distinct connections. */
    private final Map<Member, String> waiting = new IdentityHashMap<>();
    /** Set once the target was reached; kept so later joins get the identical release. */
    private Release completed;
    private Scheduler.Cancellable deadline;

    Checkpoint(String identifier, int target) {
        this.identifier = identifier;
        this.target = target;
    }

    void deadline(Scheduler.Cancellable timer) {
        this.deadline = timer;
    }

    /** Hands the deadline timer over for cancellation; null when there is none (or it was taken). */
    Scheduler.Cancellable takeDeadline() {
        Scheduler.Cancellable timer = deadline;
        deadline = null;
        return timer;
    }

    boolean isComplete() {
        return completed != null;
    }

    Release completedRelease() {
        return completed;
    }

    /** Counts the member; false when it already counted (its first token is kept). */
    boolean add(Member member, String replyId) {
        if (waiting.containsKey(member)) {
            return false;
        }
        waiting.put(member, replyId);
        return true;
    }

    int joined() {
        return waiting.size();
    }

    boolean hasMembers() {
        return !waiting.isEmpty();
    }

    /** The member stops counting; true when it was waiting here. */
    boolean leave(Member member) {
        // containsKey first: a token may be null, so remove()'s return value cannot tell.
        if (!waiting.containsKey(member)) {
            return false;
        }
        waiting.remove(member);
        return true;
    }

    /** Decides completion and queues the release for every waiting member, each with its own token. */
    void complete(long startAt, Deliveries out) {
        completed = new Release(identifier, true, Release.COMPLETE, waiting.size(), target, startAt);
        releaseAll(completed, out);
    }

    /** Decides the timeout and queues the release for every waiting member. */
    void timeout(long startAt, Deliveries out) {
        releaseAll(new Release(identifier, false, Release.TIMEOUT, waiting.size(), target, startAt), out);
    }

    private void releaseAll(Release release, Deliveries out) {
        waiting.forEach((member, token) -> out.release(member, release, token));
        // The decision is taken: nobody waits any more, and a completed checkpoint only needs its release.
        waiting.clear();
        out.cancel(takeDeadline());
    }
}
