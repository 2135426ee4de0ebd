package io.testsync.server.runs;

import io.testsync.server.runs.Attach.Attached;
import io.testsync.server.runs.Attach.Refused;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The runs the server holds, by testId, and the server-wide limits on them (SPEC §3, §4, §7).
 * Thread-safe without a global lock: each run has its own lock, the map is concurrent and the
 * server-wide counts are atomic, so attaches to different runs do not contend.
 */
public final class RunRegistry {

    /**
     * What the run rules need from the configuration. Every count is at least 1.
     *
     * @param releaseLeadMs    how far ahead of the decision a release tells agents to start
     * @param defaultTimeoutMs wait bound of a join that gives none; 0 = wait forever
     */
    public record Settings(long releaseLeadMs, long defaultTimeoutMs, int maxRuns, int maxConnectionsPerRun,
                           int maxConnections, int maxCheckpointsPerRun, int maxTopicsPerRun, int maxMessagesPerTopic,
                           int maxCountersPerRun, int maxStatesPerRun, int maxLocksPerRun) {
        public Settings {
            requireNotNegative(releaseLeadMs, "releaseLeadMs");
            requireNotNegative(defaultTimeoutMs, "defaultTimeoutMs");
            requirePositive(maxRuns, "maxRuns");
            requirePositive(maxConnectionsPerRun, "maxConnectionsPerRun");
            requirePositive(maxConnections, "maxConnections");
            requirePositive(maxCheckpointsPerRun, "maxCheckpointsPerRun");
            requirePositive(maxTopicsPerRun, "maxTopicsPerRun");
            requirePositive(maxMessagesPerTopic, "maxMessagesPerTopic");
            requirePositive(maxCountersPerRun, "maxCountersPerRun");
            requirePositive(maxStatesPerRun, "maxStatesPerRun");
            requirePositive(maxLocksPerRun, "maxLocksPerRun");
        }

        /** The checkpoint and connection bounds, with the toolkit's at their SPEC §9.3 defaults. */
        public Settings(long releaseLeadMs, long defaultTimeoutMs, int maxRuns, int maxConnectionsPerRun,
                        int maxConnections, int maxCheckpointsPerRun) {
            this(releaseLeadMs, defaultTimeoutMs, maxRuns, maxConnectionsPerRun, maxConnections, maxCheckpointsPerRun,
                    1000, 10_000, 10_000, 10_000, 10_000);
        }

        private static void requireNotNegative(long value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
        }

        private static void requirePositive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
        }
    }

    static final String MAX_RUNS = "limits.max_runs";
    static final String MAX_CONNECTIONS = "limits.max_connections";
    static final String MAX_CONNECTIONS_PER_RUN = "limits.max_connections_per_run";
    static final String MAX_TOPICS_PER_RUN = "limits.max_topics_per_run";
    static final String MAX_MESSAGES_PER_TOPIC = "limits.max_messages_per_topic";
    static final String MAX_COUNTERS_PER_RUN = "limits.max_counters_per_run";
    static final String MAX_STATES_PER_RUN = "limits.max_states_per_run";
    static final String MAX_LOCKS_PER_RUN = "limits.max_locks_per_run";

    private final Scheduler scheduler;
    private final Settings settings;
    private final ConcurrentHashMap<String, Run> runs = new ConcurrentHashMap<>();
    /** Runs created and not yet forgotten; reserved before a run enters the map, so never above maxRuns. */
    private final AtomicInteger runSlots = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger waitingCheckpoints = new AtomicInteger();
    // Plain counters (runs/ knows no metrics library); a LongAdder keeps a burst of releases uncontended.
    private final LongAdder completedReleases = new LongAdder();
    private final LongAdder timedOutReleases = new LongAdder();
    private final LongAdder participantLostReleases = new LongAdder();
    private final LongAdder operatorReleases = new LongAdder();
    private final AtomicInteger topics = new AtomicInteger();
    private final AtomicInteger locksHeld = new AtomicInteger();
    private final AtomicInteger lockWaiters = new AtomicInteger();

    public RunRegistry(Scheduler scheduler, Settings settings) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The member joins the run (created when needed) and counts at once. */
    public Attach attach(String testId, Member member) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(member, "member");
        // Cheap early refusal, so a full server does not create runs for attaches that cannot count.
        // The exact check is the reservation in Run.add.
        if (connections.get() >= settings.maxConnections()) {
            return new Refused(MAX_CONNECTIONS, settings.maxConnections());
        }
        while (true) {
            Run run = runs.get(testId);
            if (run == null) {
                // computeIfAbsent: the slot is reserved only by the attach that really creates the
                // run, so concurrent attaches of one new testId never refuse each other on max_runs.
                run = runs.computeIfAbsent(testId,
                        id -> reserve(runSlots, settings.maxRuns()) ? new Run(id, this) : null);
                if (run == null) {
                    return new Refused(MAX_RUNS, settings.maxRuns());
                }
            }
            Run.AddResult result = run.add(member);
            if (result == Run.AddResult.REMOVED) {
                // Removed between our lookup and its lock; it is already out of the map: look again.
                continue;
            }
            return switch (result) {
                case ADDED -> new Attached(run);
                case RUN_FULL -> new Refused(MAX_CONNECTIONS_PER_RUN, settings.maxConnectionsPerRun());
                case SERVER_FULL -> new Refused(MAX_CONNECTIONS, settings.maxConnections());
                case REMOVED -> throw new AssertionError("handled above");
            };
        }
    }

    /** The member stops counting at once and leaves every checkpoint it waits at, without releasing anyone. */
    public void detach(Run run, Member member) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(member, "member");
        run.leave(member);
    }

    /** The run held for testId, or null. */
    public Run find(String testId) {
        return runs.get(testId);
    }

    /** Runs held. */
    public int runCount() {
        return runs.size();
    }

    /** Live members over all runs. */
    public int connectionCount() {
        return connections.get();
    }

    /** Incomplete checkpoints over all runs (for metrics). */
    public int waitingCheckpoints() {
        return waitingCheckpoints.get();
    }

    /** Checkpoints released since start because their target was reached (for metrics). */
    public long completedReleases() {
        return completedReleases.sum();
    }

    /** Checkpoints released since start because their deadline passed first (for metrics). */
    public long timedOutReleases() {
        return timedOutReleases.sum();
    }

    /** Checkpoints released because a fail_on_leave member's connection closed (for metrics). */
    public long participantLostReleases() {
        return participantLostReleases.sum();
    }

    /** Checkpoints released by an operator (for metrics). */
    public long operatorReleases() {
        return operatorReleases.sum();
    }

    /** Topics over all runs (for metrics). */
    public int topics() {
        return topics.get();
    }

    /** Locks with a holder over all runs (for metrics). */
    public int locksHeld() {
        return locksHeld.get();
    }

    /** Members waiting for a lock over all runs (for metrics). */
    public int lockWaiters() {
        return lockWaiters.get();
    }

    /**
     * The operator's DELETE of a run (SPEC §10): its state is removed at once and its connections are
     * closed with {@code code}.
     *
     * @return the connections closed, or -1 when no run is held for testId
     */
    public int remove(String testId, int code, String reason) {
        Run run = runs.get(testId);
        return run == null ? -1 : run.removeByOperator(code, reason);
    }

    /** Every run held, in no particular order (the management API). */
    public List<Run> runs() {
        return List.copyOf(runs.values());
    }

    /**
     * True when the run held for testId has a live member or had activity (a member arriving,
     * leaving or joining a checkpoint) at or after {@code sinceMs}; false when no run is held.
     */
    public boolean activeSince(String testId, long sinceMs) {
        Run run = runs.get(testId);
        return run != null && run.activeSince(sinceMs);
    }

    /** Removes runs that have no member and no activity for idleMs; returns their testIds (retention). */
    public List<String> removeIdle(long idleMs) {
        return removeIdle(idleMs, testId -> false);
    }

    /**
     * Removes runs that have no member and no activity for idleMs, except those {@code keep} accepts
     * (retention: activity the registry does not see, such as HTTP reads of the run's data); returns
     * their testIds.
     */
    public List<String> removeIdle(long idleMs, Predicate<String> keep) {
        if (idleMs < 0) {
            throw new IllegalArgumentException("idleMs must not be negative, was " + idleMs);
        }
        Objects.requireNonNull(keep, "keep");
        long now = scheduler.now();
        List<String> removed = new ArrayList<>();
        for (Run run : runs.values()) {
            // A run with members is never idle: skip asking keep (removeIfIdle checks again under the lock).
            if (run.connectionCount() > 0 || keep.test(run.testId())) {
                continue;
            }
            if (run.removeIfIdle(now, idleMs)) {
                removed.add(run.testId());
            }
        }
        return removed;
    }

    // --- called by Run, under that run's lock -------------------------------------------------

    Scheduler scheduler() {
        return scheduler;
    }

    Settings settings() {
        return settings;
    }

    boolean reserveConnection() {
        return reserve(connections, settings.maxConnections());
    }

    void connectionLeft() {
        connections.decrementAndGet();
    }

    void checkpointOpened() {
        waitingCheckpoints.incrementAndGet();
    }

    void checkpointClosed() {
        waitingCheckpoints.decrementAndGet();
    }

    void checkpointReleased(String reason) {
        switch (reason) {
            case Release.COMPLETE -> completedReleases.increment();
            case Release.TIMEOUT -> timedOutReleases.increment();
            case Release.PARTICIPANT_LOST -> participantLostReleases.increment();
            default -> operatorReleases.increment();
        }
    }

    void toolkitChanged(int topicsDelta, int heldDelta, int waitersDelta) {
        if (topicsDelta != 0) topics.addAndGet(topicsDelta);
        if (heldDelta != 0) locksHeld.addAndGet(heldDelta);
        if (waitersDelta != 0) lockWaiters.addAndGet(waitersDelta);
    }

    /**
     * Drops a run that marked itself removed. Taking the map's bin lock under the run's lock cannot
     * deadlock: nothing takes a run's lock while holding a bin lock (the computeIfAbsent above only
     * builds a Run). The slot is given back first: an attach that creates the run anew right after
     * the removal must find it free (an attach that still finds this run sees it removed and retries).
     */
    void forget(Run run) {
        runSlots.decrementAndGet();
        runs.remove(run.testId(), run);
    }

    /** Takes one unit of a bounded count; never lets it pass max, however many threads race. */
    private static boolean reserve(AtomicInteger counter, int max) {
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
