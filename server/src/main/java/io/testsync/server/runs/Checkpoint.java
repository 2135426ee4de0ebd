package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One named barrier of a run (SPEC §4, §9.4). Not thread-safe: every access is guarded by the lock
 * of the {@link Run} that holds it.
 */
final class Checkpoint {

    final String identifier;
    final int target;
    final boolean failOnLeave;
    /** Server unix ms at which it times out; 0 = never. */
    final long deadlineMs;

    /**
     * Waiting members and the reply id of their FIRST join, in join order; members are distinct
     * connections (AgentSocket and the test fakes keep Object's identity equals).
     */
    private final Map<Member, String> waiting = new LinkedHashMap<>();
    /** Set once the target was reached; kept so later joins get the identical release. */
    private Release completed;
    private Scheduler.Cancellable deadline;

    Checkpoint(String identifier, int target, boolean failOnLeave, long deadlineMs) {
        this.identifier = identifier;
        this.target = target;
        this.failOnLeave = failOnLeave;
        this.deadlineMs = deadlineMs;
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

    /** Counts the member; false when it already counted (its first reply id is kept). */
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

    boolean has(Member member) {
        return waiting.containsKey(member);
    }

    /** Names of the waiting members, in join order. */
    List<String> joinedAgents() {
        return names(waiting.keySet(), null);
    }

    /** The member stops counting; true when it was waiting here. */
    boolean leave(Member member) {
        // containsKey first: a reply id may be null, so remove()'s return value cannot tell.
        if (!waiting.containsKey(member)) {
            return false;
        }
        waiting.remove(member);
        return true;
    }

    /** Decides completion and queues the release for every waiting member, each with its own reply id. */
    void complete(long startAt, Deliveries out) {
        completed = Release.complete(identifier, waiting.size(), target, startAt);
        releaseAll(completed, out);
    }

    /**
     * Decides a failed release ({@code timeout}, {@code participant_lost}, {@code operator_released})
     * and queues it for every waiting member.
     *
     * @param connected the run's members now, to name those that had not joined
     * @param lost      the agent whose leaving failed the checkpoint, or null
     */
    void fail(String reason, long startAt, Collection<Member> connected, String lost, Deliveries out) {
        Release release = new Release(identifier, false, reason, waiting.size(), target, startAt,
                lost == null ? List.of() : List.of(lost), joinedAgents(), names(connected, waiting));
        releaseAll(release, out);
    }

    private void releaseAll(Release release, Deliveries out) {
        waiting.forEach((member, replyId) -> out.release(member, release, replyId));
        // The decision is taken: nobody waits any more, and a completed checkpoint only needs its release.
        waiting.clear();
        out.cancel(takeDeadline());
    }

    /** The checkpoint as the management API shows it; {@code connected} names the absent. */
    RunSnapshot.CheckpointView view(Collection<Member> connected) {
        if (completed != null) {
            return new RunSnapshot.CheckpointView(identifier, "complete", target, completed.joined(), List.of(), List.of(),
                    failOnLeave, null, completed.startAt());
        }
        return new RunSnapshot.CheckpointView(identifier, "waiting", target, waiting.size(), joinedAgents(),
                names(connected, waiting), failOnLeave, deadlineMs == 0 ? null : deadlineMs, null);
    }

    /** Up to {@link Release#MAX_NAMES} agent names of {@code members}, skipping those in {@code except}. */
    private static List<String> names(Collection<Member> members, Map<Member, String> except) {
        List<String> names = new ArrayList<>();
        for (Member m : members) {
            if (names.size() == Release.MAX_NAMES) break;
            if (except == null || !except.containsKey(m)) names.add(m.agent());
        }
        return names;
    }
}
