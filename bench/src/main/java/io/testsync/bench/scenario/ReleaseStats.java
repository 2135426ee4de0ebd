package io.testsync.bench.scenario;

import io.testsync.bench.load.Histogram;

/**
 * What checkpoint rounds against one target measured: the latency of every agent's release (from
 * the last join sent) and the skew of every round (last release received minus first), over the
 * rounds in which every agent was released.
 */
final class ReleaseStats {
    final Histogram latency = new Histogram();
    final Histogram skew = new Histogram();
    int released;

    void add(Round.Result result) {
        if (!result.allReleased()) return; // the caller stops: agents wait in an unknown state
        released++;
        for (long t : result.releasedAt()) latency.record(t - result.lastJoinSent());
        skew.record(result.skewNanos());
    }

    double p99Millis() {
        return latency.percentileMillis(99);
    }
}
