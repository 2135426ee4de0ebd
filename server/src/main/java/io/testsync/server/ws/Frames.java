package io.testsync.server.ws;

import io.testsync.server.runs.Release;
import io.testsync.server.runs.TopicMessage;
import io.testsync.server.wire.Json;

/** The text frames the server sends (SPEC §3, §4, §9), built directly: their shape is fixed. Field order: command, id, content. */
public final class Frames {
    /** The subprotocol of SPEC §9.2. */
    public static final String V1 = "testsync.v1";

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
                + names(r)
                + "}}";
    }

    /** SPEC §9.4: a release that is not complete names who had joined and who had not. */
    private static String names(Release r) {
        if (r.finished()) return "";
        StringBuilder sb = new StringBuilder();
        if (Release.PARTICIPANT_LOST.equals(r.reason())) sb.append(",\"lost\":").append(Json.array(r.lost()));
        return sb.append(",\"joined_agents\":").append(Json.array(r.joinedAgents()))
                .append(",\"absent_agents\":").append(Json.array(r.absentAgents())).toString();
    }

    /** One message of a subscribed topic; the payload is the published JSON text, byte for byte. */
    public static String message(String subscribeId, TopicMessage m) {
        return head("message", subscribeId) + "{\"topic\":" + Json.quote(m.topic()) + ",\"seq\":" + m.seq()
                + ",\"payload\":" + m.payload() + ",\"published_at_ms\":" + m.publishedAtMs() + "}}";
    }

    public static String lockGranted(String id, String name, long fence) {
        return head("lock", id) + "{\"name\":" + Json.quote(name) + ",\"acquired\":true,\"fence\":" + fence + "}}";
    }

    public static String lockTimedOut(String id, String name) {
        return head("lock", id) + "{\"name\":" + Json.quote(name) + ",\"acquired\":false,\"reason\":\"timeout\"}}";
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
