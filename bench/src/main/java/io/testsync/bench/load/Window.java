package io.testsync.bench.load;

import java.time.Duration;

/**
 * The time plan of one closed-loop measurement: traffic starts at once, but only exchanges sent
 * after the warm-up and answered before the end count. Warm-up lets the JIT compile the paths and
 * the connections settle, so the figure describes the steady state.
 */
public record Window(long startNanos, long measureFromNanos, long endNanos) {

    public static Window startingNow(Duration warmup, Duration measure) {
        long now = System.nanoTime();
        return new Window(now, now + warmup.toNanos(), now + warmup.toNanos() + measure.toNanos());
    }

    /** True when an exchange sent at {@code sentAt} and answered at {@code answeredAt} is part of the figure. */
    public boolean counts(long sentAt, long answeredAt) {
        return sentAt >= measureFromNanos && answeredAt <= endNanos;
    }

    public boolean over(long now) {
        return now >= endNanos;
    }

    public double measuredSeconds() {
        return (endNanos - measureFromNanos) / 1e9;
    }
}
