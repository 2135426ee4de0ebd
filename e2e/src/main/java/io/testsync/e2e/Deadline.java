package io.testsync.e2e;

import java.time.Duration;

/** The moment a step must be over by; every wait inside a step is bounded by what is left of it. */
final class Deadline {

    private final long endNanos;
    private final Duration total;

    private Deadline(long endNanos, Duration total) {
        this.endNanos = endNanos;
        this.total = total;
    }

    static Deadline after(Duration total) {
        return new Deadline(System.nanoTime() + total.toNanos(), total);
    }

    /** What is left, never negative. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    long remainingNanos() {
        return Math.max(0, endNanos - System.nanoTime());
    }

    /** The step's whole budget, for messages ("within 10 s"). */
    String budget() {
        long ms = total.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
