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

    /** The error body of every failed HTTP request (SPEC §2). */
    public static String error(int status, String message) {
        return "{\"code\":" + status + ",\"error\":" + quote(message) + "}";
    }
}
