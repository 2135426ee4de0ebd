package io.testsync.bench.limits;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The barrier floor: the least a server can do to release N agents. Agents connect to
 * {@code /floor/<n>/<group>}; every text frame counts as a join, and the n-th join of a group
 * sends one fixed release frame (naming the joined identifier) to all n. No validation, no per-agent
 * frame: what the generator measures against it is the cost of the sockets, the event loops and
 * the generator itself on this machine, which no TestSync server can beat.
 * <p>
 * The same floor for a fan-out: connections to {@code /fanout/<group>} are its members, and a text
 * frame from one of them is written, as one message frame, to every other member (see {@link Fanout}).
 */
public final class BroadcastServer {
    private static final Buffer UP = Buffer.buffer("{\"status\":\"ok\"}");
    private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();

    private BroadcastServer() {
    }

    /** The path where {@code n} agents of {@code group} meet at the barrier floor. */
    public static String path(int n, String group) {
        return "/floor/" + n + "/" + group;
    }

    public static void main(String[] args) {
        LimitVerticles.serve(args, server -> server
                .webSocketHandler(ws -> {
                    String[] parts = ws.path().split("/"); // "", "floor", n, group
                    if (parts.length == 3 && parts[1].equals("fanout")) {
                        Fanout.join(ws);
                        return;
                    }
                    if (parts.length != 4 || !parts[1].equals("floor")) {
                        ws.close((short) 1008, "path must be /floor/<n>/<group> or /fanout/<group>");
                        return;
                    }
                    Group group = GROUPS.computeIfAbsent(ws.path(), p -> new Group(Integer.parseInt(parts[2])));
                    ws.textMessageHandler(text -> group.join(ws, text));
                })
                .requestHandler(req -> req.response().end(UP)));
    }

    /** Agents waiting at one barrier; the lock is held to count, never while writing. */
    private static final class Group {
        private final int target;
        private List<ServerWebSocket> waiting = new ArrayList<>();

        Group(int target) {
            this.target = target;
        }

        void join(ServerWebSocket ws, String join) {
            List<ServerWebSocket> released = null;
            synchronized (this) {
                waiting.add(ws);
                if (waiting.size() == target) {
                    released = waiting;
                    waiting = new ArrayList<>();
                }
            }
            if (released == null) return;
            String frame = release(join);
            for (ServerWebSocket member : released) member.writeTextMessage(frame);
        }

        /** A release of the same shape and size as TestSync's, naming the identifier of the joins. */
        private String release(String join) {
            String key = "\"identifier\":\"";
            int from = join.indexOf(key) + key.length();
            String identifier = from < key.length() ? "" : join.substring(from, join.indexOf('"', from));
            long now = System.currentTimeMillis();
            return "{\"command\":\"wait_checkpoint\",\"id\":0,\"content\":{\"identifier\":\"" + identifier
                    + "\",\"finished\":true,\"reason\":\"complete\",\"joined\":" + target + ",\"target\":" + target
                    + ",\"start_at\":" + (now + 500) + ",\"start_in_ms\":500,\"server_time_ms\":" + now + "}}";
        }
    }
}
