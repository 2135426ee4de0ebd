package io.testsync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the result table: a scenario with its parameters, aggregated over its repetitions
 * (medians, counters summed), with its target's verdict. A row whose repetitions failed carries
 * the error instead of numbers.
 */
public record Row(String scenario, String params, String unit, String limitOf, int runs,
                  Map<String, Double> values, Target target, String error) {

    public static Row of(Spec spec, List<Measure> runs) {
        Map<String, List<Double>> byKey = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Measure m : runs) {
            m.medians().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            m.sums().forEach((k, v) -> sums.merge(k, v, Double::sum));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        byKey.forEach((k, list) -> values.put(k, median(list)));
        values.putAll(sums);
        return new Row(spec.scenario(), spec.params(), spec.unit(), spec.limitOf(), runs.size(),
                Collections.unmodifiableMap(values), spec.target(), null);
    }

    public static Row failed(Spec spec, int runs, String error) {
        return new Row(spec.scenario(), spec.params(), spec.unit(), spec.limitOf(), runs, Map.of(), spec.target(), error);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public String name() {
        return params.isEmpty() ? scenario : scenario + " " + params;
    }

    /** This row with one more value (a note), e.g. what the machine was doing meanwhile. */
    public Row with(String key, double value) {
        if (Double.isNaN(value)) return this;
        Map<String, Double> more = new LinkedHashMap<>(values);
        more.put(key, value);
        return new Row(scenario, params, unit, limitOf, runs, Collections.unmodifiableMap(more), target, error);
    }

    public Double value(String key) {
        return values.get(key);
    }

    public boolean failed() {
        return error != null;
    }

    /** PASS or MISS against the target, "-" without one, ERROR when the scenario did not run. */
    public String verdict() {
        return failed() ? "ERROR" : target.verdict(values);
    }

    /**
     * What a scenario row is before it has numbers: its name, parameters ("n=1000"), the figure's
     * unit, what the limit is ("echo 256c 64B"; empty without one) and the target.
     */
    public record Spec(String scenario, String params, String unit, String limitOf, Target target) {
        public String name() {
            return params.isEmpty() ? scenario : scenario + " " + params;
        }
    }
}
