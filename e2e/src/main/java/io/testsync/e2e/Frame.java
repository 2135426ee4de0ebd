package io.testsync.e2e;

import io.testsync.testkit.Received;

/** Something an {@link Agent} received, stamped with {@link System#nanoTime()} at its arrival. */
sealed interface Frame {

    long receivedAtNanos();

    /** The program's view of what the test kit's client received. */
    static Frame of(Received r) {
        if (r instanceof Received.Text t) return new Text(t.text(), t.atNanos());
        if (r instanceof Received.Binary b) return new Binary(b.bytes(), b.atNanos());
        if (r instanceof Received.Closed c) return new Closed(c.code(), c.reason(), c.atNanos());
        Received.Broken broken = (Received.Broken) r;
        return new Broken(broken.error(), broken.atNanos());
    }

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
