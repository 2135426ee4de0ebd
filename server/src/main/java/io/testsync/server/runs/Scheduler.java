package io.testsync.server.runs;

/**
 * The clock and timer the barrier rules use. Injected so that every rule of SPEC §4 is tested with a
 * fake clock, without waiting (as Caffeine's {@code Ticker}).
 */
public interface Scheduler {

    /** Current time, unix milliseconds. */
    long now();

    /** Runs the task once after {@code delayMs} milliseconds, on some thread. */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }
}
