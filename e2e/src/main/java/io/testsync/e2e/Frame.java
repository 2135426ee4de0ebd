package io.testsync.e2e;

/** Something an {@link Agent} received, stamped with {@link System#nanoTime()} at its arrival. */
sealed interface Frame {

    long receivedAtNanos();

    /** A phrase for failure messages: "a text frame '...'". */
    String describe();

    /** A complete text message. */
    record Text(String text, long receivedAtNanos) implements Frame {
        public String describe() {
            return "a text frame " + Problems.preview(text);
        }
    }

    /** A complete binary message. */
    record Binary(byte[] bytes, long receivedAtNanos) implements Frame {
        public String describe() {
            return "a binary frame of " + Problems.preview(bytes);
        }
    }

    /** The server closed the connection; nothing follows. */
    record Closed(int code, String reason, long receivedAtNanos) implements Frame {
        public String describe() {
            return "the connection closed with code " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    /** The connection broke; nothing follows. */
    record Broken(Throwable error, long receivedAtNanos) implements Frame {
        public String describe() {
            return "the connection failed: " + Problems.describe(error);
        }
    }
}
