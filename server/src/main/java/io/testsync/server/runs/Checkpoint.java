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
    /** Server unix ms of the timeout; 0 when it waits forever. */
    private long deadlineAt;

    Checkpoint(String identifier, int target) {
        this.identifier = identifier;
        this.target = target;
    }

    void deadline(Scheduler.Cancellable timer, long at) {
        this.deadline = timer;
        this.deadlineAt = at;
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

    /** Decides an operator's release (SPEC §10) and queues it for every waiting member; answers how many. */
    int operatorRelease(long startAt, Deliveries out) {
        int n = waiting.size();
        releaseAll(new Release(identifier, false, Operator.OPERATOR_RELEASED, n, target, startAt), out);
        return n;
    }

    /** A plain copy for the management API. */
    RunSnapshot.CheckpointView view() {
        java.util.List<String> ids = new java.util.ArrayList<>(waiting.size());
        for (Member m : waiting.keySet()) ids.add(m.id());
        return new RunSnapshot.CheckpointView(identifier, isComplete(), target,
                isComplete() ? completed.joined() : waiting.size(), ids,
                isComplete() || deadlineAt == 0 ? null : deadlineAt, isComplete() ? completed.startAt() : null);
    }

    private void releaseAll(Release release, Deliveries out) {
        waiting.forEach((member, token) -> out.release(member, release, token));
        // The decision is taken: nobody waits any more, and a completed checkpoint only needs its release.
        waiting.clear();
        out.cancel(takeDeadline());
    }
}
