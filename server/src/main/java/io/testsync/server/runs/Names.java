package io.testsync.server.runs;

/** The rule for every name agents give inside a run: checkpoints, states, counters, topics, locks (SPEC §4, §9.3). */
public final class Names {
    private Names() {}

    /**
     * Throws when {@code value} is not a non-empty string of at most 256 characters, counted as a
     * person counts them (code points: an emoji is one, not two UTF-16 units).
     */
    public static void require(String field, String value) {
        String rule = field + " must be a non-empty string of at most " + CheckpointJoin.MAX_IDENTIFIER + " characters";
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(rule);
        int length = value.codePointCount(0, value.length());
        if (length > CheckpointJoin.MAX_IDENTIFIER) throw new IllegalArgumentException(rule + ", has " + length);
    }
}
