package io.testsync.server.runs;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agents of one test run and the checkpoints they wait at (SPEC §3, §4). Thread-safe: one lock
 * per run decides every state change; releases are delivered after it is released.
 */
public final class Run {

    /** What {@link #add} did; the registry turns it into an {@link Attach}. */
    enum AddResult { ADDED, RUN_FULL, SERVER_FULL, REMOVED }

    private final String testId;
    private final RunRegistry registry;
    private final Scheduler scheduler;
    private final RunRegistry.Settings settings;

    private final Object lock = new Object();
    // Identity: members are distinct connections, whatever equals() a Member implementation has.
    private final Set<Member> members = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Checkpoint> checkpoints = new HashMap<>();
    private long lastActivity;
    /** Once true this object is out of the registry for good; attaches must go to a fresh Run. */
    private boolean removed;
    /** Mirrors members.size() so get_connection_count needs no lock. */
    private volatile int memberCount;

    Run(String testId, RunRegistry registry) {
        this.testId = testId;
        this.registry = registry;
        this.scheduler = registry.scheduler();
        this.settings = registry.settings();
        this.lastActivity = scheduler.now();
    }

    /** The run's identifier, the same for the HTTP API and the WebSocket path. */
    public String testId() {
        return testId;
    }

    /** Live members of this run; a detached member stops counting at once. */
    public int connectionCount() {
        return memberCount;
    }

    /**
     * The member joins checkpoint {@code identifier}, creating it when needed (the first join fixes
     * target and deadline). Releases reach members through {@link Member#release}, after this run's
     * lock is released, possibly before this method returns.
     *
     * @param replyId handed back with this member's release (the envelope id's JSON text), may be null
     * @throws IllegalStateException when the member is not attached to this run
     */
    public JoinOutcome join(Member member, CheckpointJoin join, String replyId) {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(join, "join");
        String identifier = join.identifier();
        Deliveries out = new Deliveries();
        JoinOutcome outcome;
        synchronized (lock) {
            if (!members.contains(member)) {
                throw new IllegalStateException("member " + member.id() + " is not attached to run " + testId);
            }
            Checkpoint checkpoint = checkpoints.get(identifier);
            if (checkpoint == null) {
                if (checkpoints.size() >= settings.maxCheckpointsPerRun()) {
                    return JoinOutcome.LIMIT_REACHED;
                }
                checkpoint = open(join);
            }
            long now = scheduler.now();
            lastActivity = now;
            if (checkpoint.isComplete()) {
                // SPEC §4: a completed checkpoint answers later joins at once with the same release.
                out.release(member, checkpoint.completedRelease(), replyId);
                outcome = JoinOutcome.RELEASED;
            } else if (checkpoint.add(member, replyId) && checkpoint.joined() >= checkpoint.target) {
                checkpoint.complete(now + settings.releaseLeadMs(), out);
                registry.checkpointClosed();
                registry.checkpointReleased(true);
                outcome = JoinOutcome.RELEASED;
            } else {
                outcome = JoinOutcome.WAITING;
            }
        }
        out.run();
        return outcome;
    }

    /** Creates a checkpoint; caller holds the lock. */
    private Checkpoint open(CheckpointJoin join) {
        Checkpoint checkpoint = new Checkpoint(join.identifier(), join.targetCount());
        checkpoints.put(join.identifier(), checkpoint);
        registry.checkpointOpened();
        long timeout = join.timeoutMs() != null ? join.timeoutMs() : settings.defaultTimeoutMs();
        if (timeout > 0) {
            // Scheduled under the lock so the timer is attached before anyone can complete the
            // checkpoint; the task takes the lock itself, so it cannot act before we are done.
            checkpoint.deadline(scheduler.schedule(timeout, () -> expire(checkpoint)));
        }
        return checkpoint;
    }

    /** The deadline timer: releases everyone with a timeout, unless something else decided first. */
    private void expire(Checkpoint checkpoint) {
        Deliveries out = new Deliveries();
        synchronized (lock) {
            // Completed, abandoned by its last member, or its run removed: the decision is already taken.
            if (checkpoint.isComplete() || checkpoints.get(checkpoint.identifier) != checkpoint) {
                return;
            }
            checkpoints.remove(checkpoint.identifier);
            registry.checkpointClosed();
            registry.checkpointReleased(false);
            checkpoint.timeout(scheduler.now() + settings.releaseLeadMs(), out);
        }
        out.run();
    }

    /** Counts the member in this run unless a limit refuses it. */
    AddResult add(Member member) {
        synchronized (lock) {
            if (removed) {
                return AddResult.REMOVED;
            }
            if (members.contains(member)) {
                return AddResult.ADDED;
            }
            AddResult result;
            if (members.size() >= settings.maxConnectionsPerRun()) {
                result = AddResult.RUN_FULL;
            } else if (!registry.reserveConnection()) {
                // Reserved under this lock, so the per-run and the server-wide counts are both exact.
                result = AddResult.SERVER_FULL;
            } else {
                members.add(member);
                memberCount = members.size();
                lastActivity = scheduler.now();
                return AddResult.ADDED;
            }
            // A run created just for this refused attach must not linger empty.
            removeIfEmpty();
            return result;
        }
    }

    /**
     * The member stops counting and leaves every checkpoint it waits at, releasing no one. A
     * checkpoint whose last member leaves is removed (nobody waits for it any more).
     *
     * @return false when the member was not attached (a second detach changes nothing)
     */
    boolean leave(Member member) {
        Deliveries out = new Deliveries();
        synchronized (lock) {
            if (!members.remove(member)) {
                return false;
            }
            memberCount = members.size();
            registry.connectionLeft();
            lastActivity = scheduler.now();
            for (Iterator<Checkpoint> it = checkpoints.values().iterator(); it.hasNext(); ) {
                Checkpoint checkpoint = it.next();
                if (!checkpoint.isComplete() && checkpoint.leave(member) && !checkpoint.hasMembers()) {
                    it.remove();
                    registry.checkpointClosed();
                    out.cancel(checkpoint.takeDeadline());
                }
            }
            removeIfEmpty();
        }
        out.run();
        return true;
    }

    /** Retention: true when this run has a member or had activity at or after sinceMs. */
    boolean activeSince(long sinceMs) {
        synchronized (lock) {
            return !removed && (!members.isEmpty() || lastActivity >= sinceMs);
        }
    }

    /** Retention: removes this run when it has no member and no activity for idleMs. */
    boolean removeIfIdle(long now, long idleMs) {
        Deliveries out = new Deliveries();
        synchronized (lock) {
            if (removed || !members.isEmpty() || now - lastActivity < idleMs) {
                return false;
            }
            // Without members only completed checkpoints remain (the last leaver removes the others);
            // still, never leave a timer or the waiting gauge behind.
            for (Checkpoint checkpoint : checkpoints.values()) {
                if (!checkpoint.isComplete()) {
                    registry.checkpointClosed();
                    out.cancel(checkpoint.takeDeadline());
                }
            }
            checkpoints.clear();
            markRemoved();
        }
        out.run();
        return true;
    }

    /** Caller holds the lock. */
    private void removeIfEmpty() {
        if (!removed && members.isEmpty() && checkpoints.isEmpty()) {
            markRemoved();
        }
    }

    /**
     * Caller holds the lock. The registry forgets this run while the lock is still held, so an attach
     * that finds this object removed is guaranteed to find no stale mapping when it looks again.
     */
    private void markRemoved() {
        removed = true;
        registry.forget(this);
    }

    @Override
    public String toString() {
        return "Run[" + testId + ", members=" + memberCount + "]";
    }
}
