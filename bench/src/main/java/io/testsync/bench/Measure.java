package io.testsync.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers one repetition of a scenario produced, by name. Values set with {@link #put} are
 * reported as the median over repetitions; counters set with {@link #add} (rounds, errors,
 * verified bytes) are summed, because "3 errors in 3 runs" must not become a median of 0.
 */
public final class Measure {
    private final Map<String, Double> medians = new LinkedHashMap<>();
    private final Map<String, Double> sums = new LinkedHashMap<>();

    public Measure put(String key, double value) {
        medians.put(key, value);
        return this;
    }

    public Measure add(String key, double value) {
        sums.merge(key, value, Double::sum);
        return this;
    }

    /** Sets figure, limit and their ratio, the three numbers every limited row has. */
    public Measure versus(double figure, double limit) {
        put(Keys.FIGURE, figure);
        put(Keys.LIMIT, limit);
        return put(Keys.RATIO, limit == 0 ? 0 : figure / limit);
    }

    Map<String, Double> medians() {
        return Collections.unmodifiableMap(medians);
    }

    Map<String, Double> sums() {
        return Collections.unmodifiableMap(sums);
    }

    public Double get(String key) {
        return medians.containsKey(key) ? medians.get(key) : sums.get(key);
    }

    /** Names of the values every scenario shares; the others appear as notes. */
    public static final class Keys {
        public static final String FIGURE = "figure";
        public static final String LIMIT = "limit";
        public static final String RATIO = "ratio";
        public static final String P50 = "p50_ms";
        public static final String P99 = "p99_ms";
        public static final String MAX = "max_ms";
        public static final String ERRORS = "errors";

        private Keys() {
        }
    }
}
