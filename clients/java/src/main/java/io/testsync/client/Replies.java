package io.testsync.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads the content of each kind of reply (SPEC §9) into what the public methods return. */
final class Replies {
    private Replies() {
    }

    static Welcome welcome(Fields c) {
        return new Welcome(c.text("protocol"), c.text("run"), c.text("agent"), c.text("connection"),
                c.number("server_time_ms"), c.has("limits") ? c.object("limits").numbers() : java.util.Map.of());
    }

    /** An {@code error} frame's content as the exception the pending call fails with. */
    static TestSyncException error(Fields c) {
        String code = c.textOr("code", TestSyncException.UNKNOWN);
        String command = c.textOr("command", "");
        String message = c.textOr("error", "the server reported " + code);
        return new TestSyncException(code, command, command.isEmpty() ? message : command + ": " + message);
    }

    static Release release(Inbound in) {
        Fields c = in.content();
        return new Release(c.text("identifier"), c.bool("finished"), c.text("reason"),
                (int) c.number("joined"), (int) c.number("target"), c.number("start_at"), Math.max(0, c.number("start_in_ms")),
                c.number("server_time_ms"), c.strings("joined_agents"), c.strings("absent_agents"), c.strings("lost"),
                in.receivedAtNanos());
    }

    /** {@code read_data}: the stored bytes, or null when the run has none. */
    static byte[] dataBytes(Fields c) {
        if (!c.bool("exists")) return null;
        if (c.has("data")) return c.raw("data").getBytes(StandardCharsets.UTF_8);
        String b64 = c.text("data_base64");
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new TestSyncException(TestSyncException.PROTOCOL_ERROR, "read_data", "read_data: data_base64 is not Base64: " + e.getMessage());
        }
    }

    /** {@code read_data}: the stored JSON text exactly; stored bytes that are not JSON come back decoded as UTF-8; null when none. */
    static String dataText(Fields c) {
        if (!c.bool("exists")) return null;
        if (c.has("data")) return c.raw("data");
        return new String(dataBytes(c), StandardCharsets.UTF_8);
    }

    static Message message(Fields c) {
        if (!c.has("payload")) {
            throw new TestSyncException(TestSyncException.PROTOCOL_ERROR, "subscribe", "a message frame without \"payload\"");
        }
        return new Message(c.text("topic"), c.number("seq"), c.raw("payload"), c.numberOr("published_at_ms", 0));
    }

    /** A reply that must say {@code field: true} ({@code stored}, {@code subscribed}, …). */
    static void confirm(Fields c, String field) {
        if (!c.bool(field)) {
            throw new TestSyncException(TestSyncException.PROTOCOL_ERROR, "", "the server answered " + field + ":false");
        }
    }
}
