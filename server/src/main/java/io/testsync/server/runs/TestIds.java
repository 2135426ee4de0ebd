package io.testsync.server.runs;

/** The rule for a run's identifier (SPEC §2): 1–128 characters from {@code A–Z a–z 0–9 . _ -}, compared exactly. */
public final class TestIds {
    public static final int MAX_LENGTH = 128;

    private TestIds() {}

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    /** The message a client gets for an identifier that breaks the rule. */
    public static String problem(String id) {
        if (id.isEmpty()) return "test ID is missing: use /tests/{testID} with 1-128 characters from A-Z a-z 0-9 . _ -";
        if (id.length() > MAX_LENGTH) return "test ID is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        return "test ID may contain only A-Z a-z 0-9 . _ - (1-128 characters)";
    }
}
