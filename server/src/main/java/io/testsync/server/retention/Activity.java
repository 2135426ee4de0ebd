package io.testsync.server.retention;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When each run's data was last used, in memory. Reads count as activity for retention, but
 * remembering them in the database would turn every GET into a disk write; so they are kept here,
 * and only the write time is persisted. After a restart, a run's write time is all that counts.
 *
 * <p>Cheap on the hot path: a use within {@code granularityMs} of the recorded time only reads the
 * map; otherwise it updates the entry under the map's own bin lock, the same lock pruning takes, so
 * a use racing with {@link #forgetBefore} is never lost. The recorded time lags the real last use by
 * at most {@code granularityMs}, which retention keeps far below {@code retention.max_idle}.
 */
public final class Activity {
    private final ConcurrentHashMap<String, AtomicLong> lastUse = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long granularityMs;

    /**
     * @param clock         unix milliseconds
     * @param granularityMs uses closer together than this update nothing; at least 0
     */
    public Activity(LongSupplier clock, long granularityMs) {
        if (granularityMs < 0) throw new IllegalArgumentException("granularityMs must not be negative, was " + granularityMs);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.granularityMs = granularityMs;
    }

    /** The run's data was read or written now. */
    public void used(String testId) {
        long now = clock.getAsLong();
        AtomicLong recorded = lastUse.get(testId);
        if (recorded != null && now - recorded.get() <= granularityMs) return;
        lastUse.compute(testId, (id, time) -> {
            if (time == null) return new AtomicLong(now);
            if (time.get() < now) time.set(now);
            return time;
        });
    }

    /** The run's data is gone (deleted): nothing to remember. */
    public void forget(String testId) {
        lastUse.remove(testId);
    }

    /** True when the run's data was used at or after {@code sinceMs}, as far as this process saw. */
    public boolean usedSince(String testId, long sinceMs) {
        AtomicLong recorded = lastUse.get(testId);
        return recorded != null && recorded.get() >= sinceMs;
    }

    /** Drops what is too old to keep any run; bounds the map by the runs used within the idle time. */
    public void forgetBefore(long cutoffMs) {
        for (String testId : lastUse.keySet()) {
            lastUse.computeIfPresent(testId, (id, time) -> time.get() < cutoffMs ? null : time);
        }
    }

    /** Runs remembered (for tests). */
    int size() {
        return lastUse.size();
    }
}
