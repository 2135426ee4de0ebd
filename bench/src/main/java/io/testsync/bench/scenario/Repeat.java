package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario's repetitions and turns them into a row. A repetition that throws makes the row
 * an ERROR row with the reason: the other scenarios still run and the table is still printed.
 */
final class Repeat {
    private Repeat() {
    }

    @FunctionalInterface
    interface Once {
        Measure run(int repetition) throws Exception;
    }

    static Row rows(Env env, Row.Spec spec, Once once) {
        int runs = env.profile().runs();
        List<Measure> measures = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            try {
                Measure m = once.run(r);
                measures.add(m);
                env.progress("  %s run %d/%d: %s", spec.name(), r, runs, summary(m));
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                env.progress("  %s run %d/%d FAILED: %s", spec.name(), r, runs, why);
                return Row.failed(spec, r, why);
            }
        }
        return Row.of(spec, measures);
    }

    /** The progress line of one repetition: its numbers, briefly. */
    private static String summary(Measure m) {
        StringBuilder b = new StringBuilder();
        for (String key : List.of(Measure.Keys.FIGURE, Measure.Keys.LIMIT, Measure.Keys.RATIO, Measure.Keys.P99, Measure.Keys.ERRORS)) {
            Double v = m.get(key);
            if (v != null) b.append(key).append(' ').append(String.format(java.util.Locale.ROOT, "%.3f", v)).append("  ");
        }
        return b.toString().trim();
    }
}
