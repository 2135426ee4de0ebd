package io.testsync.server.runs;

import java.util.HashMap;
import java.util.Map;

/**
 * A run's {@code signal_entry} states and counters (SPEC §9.3). Not thread-safe: guarded by the
 * lock of the {@link Run} that holds it.
 */
final class Tallies {
    /** SPEC §9.3: a counter's value stays within what every JSON client reads exactly. */
    static final long MAX_MAGNITUDE = (1L << 53) - 1;

    private final Map<String, Long> states = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();

    /** The next seq of {@code state}: 1, 2, 3… without gaps; null when a new state would pass {@code maxStates}. */
    Long enter(String state, int maxStates) {
        Long last = states.get(state);
        if (last == null && states.size() >= maxStates) return null;
        long seq = last == null ? 1 : last + 1;
        states.put(state, seq);
        return seq;
    }

    /**
     * Adds to a counter and returns its value; a read ({@code add} 0) of a counter never stepped
     * creates nothing.
     */
    Outcome<Long> add(String name, long add, int maxCounters) {
        Long current = counters.get(name);
        if (current == null && add != 0 && counters.size() >= maxCounters) {
            return Outcome.limit(RunRegistry.MAX_COUNTERS_PER_RUN, maxCounters);
        }
        long base = current == null ? 0 : current;
        if (Math.abs(add) > MAX_MAGNITUDE || Math.abs(base + add) > MAX_MAGNITUDE) {
            return Outcome.invalid("add would take counter " + name + " to " + (base + add)
                    + "; values stay within ±" + MAX_MAGNITUDE + " (2^53 - 1)");
        }
        if (add != 0) counters.put(name, base + add);
        return Outcome.ok(base + add);
    }

    void clear() {
        states.clear();
        counters.clear();
    }

    boolean isEmpty() {
        return states.isEmpty() && counters.isEmpty();
    }

    Map<String, Long> states() {
        return Map.copyOf(states);
    }

    Map<String, Long> counters() {
        return Map.copyOf(counters);
    }
}
