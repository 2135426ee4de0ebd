package io.testsync.server.cluster;

/**
 * Names of the Redis keys of one run: {@code testsync:{<testID>}:<part>}. Every key of a run carries
 * the run's ID as its hash tag, so on Redis Cluster all of them live in one slot and one script may
 * touch them together (SPEC §11).
 */
public final class RunKeys {
    /** The prefix of every key TestSync writes. */
    public static final String PREFIX = "testsync:";

    private RunKeys() {
    }

    /** The key of one part of a run, e.g. {@code key("42", "data")} is {@code testsync:{42}:data}. */
    public static String key(String testId, String part) {
        return PREFIX + "{" + testId + "}:" + part;
    }

    /** A SCAN pattern that matches this part of every run: {@code testsync:{*}:data}. */
    public static String pattern(String part) {
        return PREFIX + "{*}:" + part;
    }

    /** The testID of a key made by {@link #key} for {@code part}, or null when the key is not one. */
    public static String testIdOf(String key, String part) {
        String head = PREFIX + "{";
        String tail = "}:" + part;
        if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) return null;
        return key.substring(head.length(), key.length() - tail.length());
    }
}
