package io.testsync.bench.scenario;

import io.testsync.bench.Measure;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.LoopResult;

/** Shared ways of putting latency into a measure. */
final class Measures {
    private Measures() {
    }

    static Measure latency(Measure m, LoopResult r) {
        return latency(m, r.latency());
    }

    static Measure latency(Measure m, Histogram h) {
        return m.put(Measure.Keys.P50, h.percentileMillis(50))
                .put(Measure.Keys.P99, h.percentileMillis(99))
                .put(Measure.Keys.MAX, h.maxMillis());
    }
}
