package io.testsync.server.ws;

/** The rule for {@code ?agent=} names (SPEC §9.1): 1-128 characters from {@code A-Z a-z 0-9 . _ - :}. */
final class AgentNames {
    static final int MAX = 128;

    private AgentNames() {}

    static boolean valid(String name) {
        if (name.isEmpty() || name.length() > MAX) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':';
            if (!ok) return false;
        }
        return true;
    }

    /** The name as an error message may show it: quoted, cut at 40 characters. */
    static String shown(String name) {
        return "\"" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "\"";
    }
}
