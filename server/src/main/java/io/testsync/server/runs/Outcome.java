package io.testsync.server.runs;

/**
 * What a toolkit decision came to: a value, or a refusal that changed nothing (SPEC §9.3). The edges
 * turn a refusal into its stable error code.
 *
 * @param value   the result when accepted, else null
 * @param refusal why nothing changed, else null
 * @param message for the agent: names the field or the limit's key
 */
public record Outcome<T>(T value, Refusal refusal, String message) {

    /** Why a request changed nothing. */
    public enum Refusal { INVALID_ARGUMENT, LIMIT_REACHED }

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, null, null);
    }

    public static <T> Outcome<T> invalid(String message) {
        return new Outcome<>(null, Refusal.INVALID_ARGUMENT, message);
    }

    public static <T> Outcome<T> limit(String key, int value) {
        return new Outcome<>(null, Refusal.LIMIT_REACHED, "limit reached: " + key + " is " + value + "; nothing changed");
    }

    public boolean accepted() {
        return refusal == null;
    }
}
