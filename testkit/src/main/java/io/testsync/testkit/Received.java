package io.testsync.testkit;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link WsClient} received, in arrival order: whole messages, then one end (closed or broken).
 * Each carries a number from one sequence shared by all clients (what arrived before what, across
 * connections) and the {@link System#nanoTime()} of its arrival.
 */
public sealed interface Received {

    long seq();

    long atNanos();

    /** A phrase for failure messages: "text {...}", "closed 1008 (reason)". */
    String describe();

    /** True for the last thing a connection delivers: {@link Closed} or {@link Broken}. */
    default boolean isEnd() {
        return this instanceof Closed || this instanceof Broken;
    }

    /** A complete text message. */
    record Text(String text, long seq, long atNanos) implements Received {
        public String describe() {
            return "text " + preview(text);
        }
    }

    /** A complete binary message. */
    record Binary(byte[] bytes, long seq, long atNanos) implements Received {
        public String describe() {
            return "binary of " + bytes.length + " bytes " + preview(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** The peer's close frame; nothing follows. */
    record Closed(int code, String reason, long seq, long atNanos) implements Received {
        public String describe() {
            return "closed " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    /** The connection failed without a close frame (reset, EOF, protocol error); nothing follows. */
    record Broken(Throwable error, long seq, long atNanos) implements Received {
        public String describe() {
            return "broken: " + error;
        }
    }

    private static String preview(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " chars)";
    }
}
