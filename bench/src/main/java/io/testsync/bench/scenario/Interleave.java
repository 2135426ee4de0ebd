package io.testsync.bench.scenario;

import io.testsync.bench.Profile;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.Window;

import java.time.Duration;

/**
 * Measures a figure and its limit in alternating short slices (F L L F F L ...), not one after the
 * other. On a shared two-core VM the speed of everything drifts by a factor of two or more over a
 * few seconds; slices of half a second let both sides see the same drift, so their ratio holds
 * still even when the absolute figures do not.
 */
final class Interleave {
    private Interleave() {
    }

    /** One side of the comparison: runs its closed loop for a window and returns what it counted. */
    @FunctionalInterface
    interface Side {
        LoopResult run(Window window);
    }

    record Pair(LoopResult figure, LoopResult limit) {
    }

    static Pair run(Profile profile, int repetition, Side figure, Side limit) {
        // warm-up of both, counted by neither: the JIT of three JVMs on two cores takes seconds
        figure.run(Window.startingNow(profile.warmupBefore(repetition), Duration.ZERO));
        limit.run(Window.startingNow(profile.warmupBefore(repetition), Duration.ZERO));
        long slices = Math.max(1, Math.round(profile.measure().toMillis() / (double) profile.slice().toMillis()));
        LoopResult f = empty();
        LoopResult l = empty();
        for (long k = 0; k < slices; k++) {
            if (k % 2 == 0) {
                f = f.plus(figure.run(slice(profile)));
                l = l.plus(limit.run(slice(profile)));
            } else {
                l = l.plus(limit.run(slice(profile)));
                f = f.plus(figure.run(slice(profile)));
            }
        }
        return new Pair(f, l);
    }

    private static Window slice(Profile profile) {
        return Window.startingNow(Duration.ZERO, profile.slice());
    }

    private static LoopResult empty() {
        return new LoopResult(0, 0, new Histogram(), 0);
    }
}
