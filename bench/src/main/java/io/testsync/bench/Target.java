package io.testsync.bench;

import java.util.Map;
import java.util.function.Predicate;

/**
 * A target of issue 3 for one row: its text as printed, and the test on the row's values. A row
 * without a target prints "-"; the bench never fails because a target is missed.
 */
public record Target(String text, Predicate<Map<String, Double>> test) {
    public static final Target NONE = new Target("-", v -> true);

    public static Target atLeast(String key, double bound, String text) {
        return new Target(text, v -> v.containsKey(key) && v.get(key) >= bound);
    }

    public static Target atMost(String key, double bound, String text) {
        return new Target(text, v -> v.containsKey(key) && v.get(key) <= bound);
    }

    public boolean none() {
        return this == NONE;
    }

    public String verdict(Map<String, Double> values) {
        if (none()) return "-";
        return test.test(values) ? "PASS" : "MISS";
    }
}
