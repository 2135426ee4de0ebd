package io.testsync.server.ws;

import io.testsync.server.runs.Release;
import io.testsync.server.wire.Json;

/** The text frames the server sends (SPEC §3, §4, §9), built directly: their shape is fixed. Field order: command, id, content. */
public final class Frames {
    private Frames() {}

    /** {@code {"command":<command>,"id":<id>,"content":<content>}}; {@code id} and {@code content} are JSON text, id may be null. */
    public static String reply(String command, String id, String content) {
        return head(command, id) + content + "}";
    }

    public static String connectionCount(String id, int count) {
        return head("get_connection_count", id) + "{\"count\":" + count + "}}";
    }

    /** {@code start_in_ms} is measured against {@code now}, the moment this member's frame is written. */
    public static String release(String id, Release r, long now) {
        long startIn = Math.max(0, r.startAt() - now);
        return head("wait_checkpoint", id)
                + "{\"identifier\":" + Json.quote(r.identifier())
                + ",\"finished\":" + r.finished()
                + ",\"reason\":\"" + r.reason() + '"'
                + ",\"joined\":" + r.joined()
                + ",\"target\":" + r.target()
                + ",\"start_at\":" + r.startAt()
                + ",\"start_in_ms\":" + startIn
                + ",\"server_time_ms\":" + now
                + "}}";
    }

    public static String error(String id, String code, String command, String message) {
        return head("error", id) + "{\"code\":\"" + code + "\",\"command\":" + Json.quote(command == null ? "" : command)
                + ",\"error\":" + Json.quote(message) + "}}";
    }

    private static String head(String command, String id) {
        return id == null
                ? "{\"command\":\"" + command + "\",\"content\":"
                : "{\"command\":\"" + command + "\",\"id\":" + id + ",\"content\":";
    }
}
