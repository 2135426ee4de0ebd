package io.testsync.bench.limits;

import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fan-out floor of {@link BroadcastServer}: every connection to {@code /fanout/<group>} is a
 * member; a text frame from a member (a {@code publish}) becomes one message frame of the shape and
 * size TestSync sends, written to every other member, and the sender gets one fixed answer. No
 * topics, no sequence, no replay: the cost of writing one frame to N sockets on this machine.
 */
public final class Fanout {
    private static final Map<String, List<ServerWebSocket>> GROUPS = new ConcurrentHashMap<>();
    /** What the publisher hears back, as long as TestSync's answer to a publish. */
    public static final String ANSWER = "{\"command\":\"publish\",\"id\":0,\"content\":{\"topic\":\"fanout\",\"seq\":1}}";

    private Fanout() {
    }

    static void join(ServerWebSocket ws) {
        List<ServerWebSocket> members = GROUPS.computeIfAbsent(ws.path(), p -> new CopyOnWriteArrayList<>());
        members.add(ws);
        ws.closeHandler(v -> members.remove(ws));
        ws.textMessageHandler(text -> {
            String message = message(text, System.currentTimeMillis());
            for (ServerWebSocket member : members) {
                if (member != ws) member.writeTextMessage(message);
            }
            ws.writeTextMessage(ANSWER);
        });
    }

    /**
     * The message frame for a publish: the published payload verbatim (everything after
     * {@code "payload":} up to the frame's last two braces) in TestSync's message envelope.
     */
    static String message(String publish, long now) {
        String key = "\"payload\":";
        int from = publish.indexOf(key);
        String payload = from < 0 || !publish.endsWith("}}") ? "null" : publish.substring(from + key.length(), publish.length() - 2);
        return "{\"command\":\"message\",\"id\":0,\"content\":{\"topic\":\"fanout\",\"seq\":1,\"payload\":" + payload
                + ",\"published_at_ms\":" + now + "}}";
    }
}
