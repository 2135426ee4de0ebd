package io.testsync.server.retention;

import io.testsync.server.runs.RunRegistry;
import io.testsync.server.runs.Scheduler;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoreFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Retention (SPEC §8, {@code retention.*}): removes runs that have no live connection and no
 * activity for {@code max_idle}, the run held in memory (its completed checkpoints) and its stored
 * data alike, on every backend. Activity is anything that touches the run: an agent arriving,
 * leaving or joining a checkpoint (the registry's clock), and any read or write of its data
 * ({@link Activity}, and the write time the store keeps). A run with a live agent is never removed.
 *
 * <p>Sweeps once at {@link #start} and then every {@code sweep_interval} after the previous one
 * ended, so sweeps never overlap; the work runs on the given worker, not on an event loop.
 */
public final class RetentionSweeper {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final DataStore store;
    private final RunRegistry registry;
    private final Activity activity;
    private final Scheduler clock;
    private final long maxIdleMs;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final LongAdder removed = new LongAdder();
    private volatile boolean stopped;
    private volatile Scheduler.Cancellable next;

    public RetentionSweeper(DataStore store, RunRegistry registry, Activity activity, Scheduler clock, long maxIdleMs) {
        if (maxIdleMs < 1) throw new IllegalArgumentException("maxIdleMs must be at least 1, was " + maxIdleMs);
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxIdleMs = maxIdleMs;
    }

    /** Sweeps now (the startup sweep), then every intervalMs after each sweep ends, each on the worker. */
    public void start(long intervalMs, Executor worker) {
        if (intervalMs < 1) throw new IllegalArgumentException("intervalMs must be at least 1, was " + intervalMs);
        Objects.requireNonNull(worker, "worker");
        runThenReschedule(intervalMs, worker);
    }

    private void runThenReschedule(long intervalMs, Executor worker) {
        if (stopped) return;
        worker.execute(() -> sweep().whenComplete((count, failure) -> {
            if (!stopped) next = clock.schedule(intervalMs, () -> runThenReschedule(intervalMs, worker));
        }));
    }

    /** No sweep starts after this; one in flight finishes quietly (the store may be closing). */
    public void stop() {
        stopped = true;
        Scheduler.Cancellable pending = next;
        if (pending != null) pending.cancel();
    }

    /** Runs removed by retention since start (for metrics). */
    public long removedRuns() {
        return removed.sum();
    }

    /**
     * One sweep; completes with the number of runs removed (in memory, stored, or both), never
     * exceptionally. Does nothing while another sweep is running.
     */
    public CompletableFuture<Integer> sweep() {
        if (stopped || !sweeping.compareAndSet(false, true)) return CompletableFuture.completedFuture(0);
        // Used at or after the cutoff = idle for less than max_idle: the registry's own rule, to the millisecond.
        long cutoff = clock.now() - maxIdleMs + 1;
        Predicate<String> dataUsed = testId -> activity.usedSince(testId, cutoff);
        List<String> held;
        CompletableFuture<List<String>> stored;
        try {
            // A run held in memory stays while its data is in use, so checkpoints and data go together.
            held = registry.removeIdle(maxIdleMs, dataUsed);
            stored = store.removeIdle(cutoff, testId -> dataUsed.test(testId) || registry.activeSince(testId, cutoff));
        } catch (RuntimeException e) {
            held = List.of();
            stored = CompletableFuture.failedFuture(e);
        }
        List<String> heldRemoved = held;
        return stored.handle((storedRemoved, failure) -> {
            try {
                activity.forgetBefore(cutoff);
                Set<String> runs = new LinkedHashSet<>(heldRemoved);
                if (storedRemoved != null) runs.addAll(storedRemoved);
                removed.add(runs.size());
                if (failure != null) {
                    if (stopped) log.debug("retention sweep ended by shutdown: {}", failure.toString());
                    else StoreFaults.report(log, StoreFaults.Kind.WRITE, "retention: removing idle runs' data; tried again at the next sweep", failure);
                }
                if (!runs.isEmpty()) {
                    log.info("retention: removed {} run(s) without agents and without activity for {} ms", runs.size(), maxIdleMs);
                    log.debug("retention: removed runs {}", runs);
                }
                return runs.size();
            } finally {
                sweeping.set(false);
            }
        });
    }
}
