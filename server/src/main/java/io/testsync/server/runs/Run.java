package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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
    // In arrival order, for the names of absent agents; members are distinct connections (identity equals).
    private final Set<Member> members = new LinkedHashSet<>();
    private final Map<String, Checkpoint> checkpoints = new HashMap<>();
    private final Tallies tallies = new Tallies();
    private final Topics topics = new Topics();
    private final Locks locks = new Locks();
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
            requireMember(member);
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
                registry.checkpointReleased(Release.COMPLETE);
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
        long timeout = join.timeoutMs() != null ? join.timeoutMs() : settings.defaultTimeoutMs();
        Checkpoint checkpoint = new Checkpoint(join.identifier(), join.targetCount(), join.failOnLeave(),
                timeout > 0 ? scheduler.now() + timeout : 0);
        checkpoints.put(join.identifier(), checkpoint);
        registry.checkpointOpened();
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
            fail(checkpoint, Release.TIMEOUT, null, out);
        }
        out.run();
    }

    /** Removes a waiting checkpoint and queues its failed release; caller holds the lock. */
    private void fail(Checkpoint checkpoint, String reason, String lost, Deliveries out) {
        checkpoints.remove(checkpoint.identifier);
        registry.checkpointClosed();
        registry.checkpointReleased(reason);
        checkpoint.fail(reason, scheduler.now() + settings.releaseLeadMs(), members, lost, out);
    }

    /**
     * The operator releases a waiting checkpoint (SPEC §10): every member gets {@code operator_released}.
     *
     * @return the members released, or -1 when no such checkpoint is waiting
     */
    public int releaseByOperator(String identifier) {
        Deliveries out = new Deliveries();
        int released;
        synchronized (lock) {
            Checkpoint checkpoint = checkpoints.get(identifier);
            if (checkpoint == null || checkpoint.isComplete()) return -1;
            released = checkpoint.joined();
            lastActivity = scheduler.now();
            fail(checkpoint, Release.OPERATOR_RELEASED, null, out);
        }
        out.run();
        return released;
    }

    /** {@code signal_entry}: the member's seq number for {@code state}, 1, 2, 3… in the order taken. */
    public Outcome<Long> signalEntry(Member member, String state) {
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            Long seq = tallies.enter(state, settings.maxStatesPerRun());
            return seq == null ? Outcome.limit(RunRegistry.MAX_STATES_PER_RUN, settings.maxStatesPerRun()) : Outcome.ok(seq);
        }
    }

    /** {@code counter}: adds to the counter (0 reads it) and returns the value after. */
    public Outcome<Long> counter(Member member, String name, long add) {
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            return tallies.add(name, add, settings.maxCountersPerRun());
        }
    }

    /** {@code publish}: the message's seq; every subscriber receives it through {@link Member#message}. */
    public Outcome<Long> publish(Member member, String topic, String payload) {
        synchronized (lock) {
            requireMember(member);
            long now = scheduler.now();
            lastActivity = now;
            int before = topics.size();
            Outcome<Long> outcome = topics.publish(topic, payload, now, settings);
            registry.toolkitChanged(topics.size() - before, 0, 0);
            return outcome;
        }
    }

    /**
     * {@code subscribe}: returns the replay (messages with seq >= fromSeq already published); later
     * messages reach the member through {@link Member#message}, each echoing {@code replyId}.
     */
    public Outcome<List<TopicMessage>> subscribe(Member member, String topic, long fromSeq, String replyId) {
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            int before = topics.size();
            Outcome<List<TopicMessage>> outcome = topics.subscribe(member, topic, fromSeq, replyId, settings.maxTopicsPerRun());
            registry.toolkitChanged(topics.size() - before, 0, 0);
            return outcome;
        }
    }

    /** {@code unsubscribe}: false when the member did not follow the topic. */
    public boolean unsubscribe(Member member, String topic) {
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            return topics.unsubscribe(member, topic);
        }
    }

    /**
     * {@code lock}: the fence when granted at once; 0 when the member now waits (its grant or timeout
     * reaches it through {@link Member#lockGranted} / {@link Member#lockTimedOut}).
     *
     * @param timeoutMs null = the settings' default; 0 = wait forever
     */
    public Outcome<Long> lock(Member member, String name, Long timeoutMs, String replyId) {
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            int held = locks.held();
            int waiting = locks.waiting();
            Outcome<Locks.Request> outcome = locks.lock(member, name, replyId, settings.maxLocksPerRun());
            registry.toolkitChanged(0, locks.held() - held, locks.waiting() - waiting);
            if (!outcome.accepted()) return new Outcome<>(null, outcome.refusal(), outcome.message());
            Locks.Request request = outcome.value();
            if (request.granted()) return Outcome.ok(request.fence());
            long timeout = timeoutMs != null ? timeoutMs : settings.defaultTimeoutMs();
            if (timeout > 0) {
                Locks.Waiter waiter = request.waiter();
                // Under the lock, like a checkpoint's deadline: the timer's task takes the lock itself.
                waiter.timer = scheduler.schedule(timeout, () -> expireLockWait(name, waiter));
            }
            return Outcome.ok(0L);
        }
    }

    private void expireLockWait(String name, Locks.Waiter waiter) {
        Deliveries out = new Deliveries();
        synchronized (lock) {
            if (locks.expire(name, waiter, out)) registry.toolkitChanged(0, 0, -1);
        }
        out.run();
    }

    /** {@code unlock}: false when the member does not hold the lock; the next waiter is granted. */
    public boolean unlock(Member member, String name) {
        Deliveries out = new Deliveries();
        boolean released;
        synchronized (lock) {
            requireMember(member);
            lastActivity = scheduler.now();
            int held = locks.held();
            int waiting = locks.waiting();
            released = locks.unlock(member, name, out);
            registry.toolkitChanged(0, locks.held() - held, locks.waiting() - waiting);
        }
        out.run();
        return released;
    }

    /** Caller holds the lock. */
    private void requireMember(Member member) {
        if (!members.contains(member)) {
            throw new IllegalStateException("member " + member.id() + " is not attached to run " + testId);
        }
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
     * The member stops counting and leaves every checkpoint it waits at, releasing no one unless a
     * checkpoint was joined with fail_on_leave (SPEC §9.4). A checkpoint whose last member leaves is
     * removed (nobody waits for it any more). Its locks go to their next waiters, its lock waits and
     * subscriptions end (session-bound, SPEC §9.3).
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
            for (Checkpoint checkpoint : List.copyOf(checkpoints.values())) {
                if (checkpoint.isComplete() || !checkpoint.leave(member)) continue;
                if (checkpoint.failOnLeave && checkpoint.hasMembers()) {
                    // SPEC §9.4: the others learn at once that a participant is gone.
                    fail(checkpoint, Release.PARTICIPANT_LOST, member.agent(), out);
                } else if (!checkpoint.hasMembers()) {
                    checkpoints.remove(checkpoint.identifier);
                    registry.checkpointClosed();
                    out.cancel(checkpoint.takeDeadline());
                }
            }
            topics.leave(member);
            int held = locks.held();
            int waiting = locks.waiting();
            locks.leave(member, out);
            registry.toolkitChanged(0, locks.held() - held, locks.waiting() - waiting);
            removeIfEmpty();
        }
        out.run();
        return true;
    }

    /** The run as the management API shows it, taken under the lock. */
    public RunSnapshot snapshot() {
        synchronized (lock) {
            List<MemberInfo> agents = new ArrayList<>();
            for (Member m : members) agents.add(m.info());
            List<RunSnapshot.CheckpointView> views = new ArrayList<>();
            for (Checkpoint c : new TreeMap<>(checkpoints).values()) views.add(c.view(members));
            return new RunSnapshot(testId, agents, views, new TreeMap<>(tallies.counters()), new TreeMap<>(tallies.states()),
                    topics.views(), locks.views(), lastActivity);
        }
    }

    /** Server unix ms of the run's last activity (a member arriving or leaving, a command of the run). */
    public long lastActivityMs() {
        synchronized (lock) {
            return lastActivity;
        }
    }

    /** Checkpoints of this run still waiting. */
    public int checkpointsWaiting() {
        synchronized (lock) {
            int n = 0;
            for (Checkpoint c : checkpoints.values()) if (!c.isComplete()) n++;
            return n;
        }
    }

    /**
     * The operator's DELETE (SPEC §10): the run's state is gone at once (a new connection starts a
     * fresh run), and every connection is closed with {@code code}; each leaves as it closes.
     *
     * @return the connections closed, or -1 when the run was already removed
     */
    int removeByOperator(int code, String reason) {
        Deliveries out = new Deliveries();
        List<Member> all;
        synchronized (lock) {
            if (removed) return -1;
            for (Checkpoint checkpoint : checkpoints.values()) {
                if (!checkpoint.isComplete()) registry.checkpointClosed();
                out.cancel(checkpoint.takeDeadline());
            }
            checkpoints.clear();
            registry.toolkitChanged(-topics.size(), -locks.held(), -locks.waiting());
            topics.clear();
            locks.clear(out);
            tallies.clear();
            all = List.copyOf(members);
            markRemoved();
        }
        out.run();
        for (Member m : all) m.disconnect(code, reason);
        return all.size();
    }

    /** The live member with this connection id, or null. */
    public Member member(String connection) {
        synchronized (lock) {
            for (Member m : members) if (m.id().equals(connection)) return m;
            return null;
        }
    }

    /** Members waiting at checkpoint {@code identifier}; -1 when it is not waiting. */
    public int joinedCount(String identifier) {
        synchronized (lock) {
            Checkpoint checkpoint = checkpoints.get(identifier);
            return checkpoint == null || checkpoint.isComplete() ? -1 : checkpoint.joined();
        }
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
            registry.toolkitChanged(-topics.size(), 0, 0);
            markRemoved();
        }
        out.run();
        return true;
    }

    /** Caller holds the lock. */
    private void removeIfEmpty() {
        // Counters, states, topics and locks stay with the run (SPEC §9.3) until retention removes it.
        if (!removed && members.isEmpty() && checkpoints.isEmpty() && tallies.isEmpty() && topics.size() == 0 && locks.size() == 0) {
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
