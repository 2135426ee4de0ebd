package io.testsync.server.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** The few JSON texts the server writes by hand: written directly because their shape is fixed and they are on hot paths. */
public final class Json {
    private Json() {}

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }

    /** {@code values} as a JSON array of strings. */
    public static String array(java.util.List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** The error body of every failed HTTP request (SPEC §2). */
    public static String error(int status, String message) {
        return "{\"code\":" + status + ",\"error\":" + quote(message) + "}";
    }
}
