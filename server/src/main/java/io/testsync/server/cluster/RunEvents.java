package io.testsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.TopicMessage;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The messages the coordination script publishes on a run's channel, delivered to this node's members:
 * a checkpoint's release (to the connections it names), a topic's message (to this node's subscribers,
 * each once, in seq order) and a lock's grant (to the waiter it names). A message of a run with no member
 * here is dropped before it is parsed.
 *
 * <p>Every event is also in the run's event log ({@code testsync:{<testID>}:evs}, a stream) and carries its
 * entry id. This node handles a run's events in id order, each once: when the pub/sub connection comes
 * back ({@link #resubscribed()}), it reads each run's log after the last id it handled, while holding
 * the live events of that run, then handles both, skipping what it had. State on the coordinator's context.
 */
final class RunEvents implements SubscriptionHandler {
    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How far back a run's log is read for a run this node joined but had no event of yet. */
    private static final long JOIN_MARGIN_MS = 10_000;
    private static final long RETRY_MS = 500;

    private final RedisCoordinator c;
    /** Per run with members here: the id of the last event handled. */
    private final Map<String, EventId> handled = new HashMap<>();
    /** Per run being read back: the live events that arrived meanwhile, handled after the log. */
    private final Map<String, List<JsonNode>> holding = new HashMap<>();

    RunEvents(RedisCoordinator c) {
        this.c = c;
    }

    /** An entry id of a stream, {@code <ms>-<seq>}, ordered as Redis orders them. */
    record EventId(long ms, long seq) implements Comparable<EventId> {
        static EventId parse(String text) {
            int dash = text.indexOf('-');
            return new EventId(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        }

        @Override
        public int compareTo(EventId o) {
            return ms != o.ms ? Long.compare(ms, o.ms) : Long.compare(seq, o.seq);
        }

        @Override
        public String toString() {
            return ms + "-" + seq;
        }
    }

    /**
     * A member of this node was admitted to {@code testId}, the admission sent at {@code sentAtMs} on Redis's
     * clock: if the node had no event of the run yet, what is read back after an outage starts a margin
     * before it (earlier events cannot name the new connection, and topic messages are deduplicated by seq).
     */
    void admitted(String testId, long sentAtMs) {
        c.onContext(() -> handled.putIfAbsent(testId, new EventId(Math.max(0, sentAtMs - JOIN_MARGIN_MS), 0)));
    }

    @Override
    public void message(String channel, Buffer payload) {
        String testId = RunKeys.testIdOf(channel, "ev");
        if (testId == null || !c.byRun.containsKey(testId)) return;
        c.onContext(() -> {
            JsonNode event;
            try {
                event = JSON.readTree(payload.getBytes());
            } catch (IOException e) {
                log.error("event on {} is not JSON: {}", channel, e.toString());
                return;
            }
            List<JsonNode> held = holding.get(testId);
            if (held != null) {
                held.add(event);
            } else {
                handle(testId, event);
            }
        });
    }

    /** One event, unless this node handled it (or a later one of the run) already. On the context. */
    private boolean handle(String testId, JsonNode event) {
        if (!c.byRun.containsKey(testId)) {
            handled.remove(testId);
            return false;
        }
        JsonNode idNode = event.get("id");
        if (idNode != null) {
            EventId id = EventId.parse(idNode.asText());
            EventId last = handled.get(testId);
            if (last != null && id.compareTo(last) <= 0) return false;
            handled.put(testId, id);
        }
        try {
            switch (event.path("k").asText()) {
                case "rel" -> release(testId, event);
                case "msg" -> message(testId, event);
                case "grant" -> grant(event);
                default -> log.warn("unknown event of run {}: {}", testId, event);
            }
        } catch (RuntimeException e) {
            log.error("event of run {} could not be delivered: {}", testId, e.toString(), e);
        }
        return true;
    }

    @Override
    public void resubscribed() {
        c.onContext(() -> {
            List<String> runs = new ArrayList<>(c.byRun.keySet());
            log.info("node {}: the Redis pub/sub connection is back; reading what {} runs published meanwhile", c.nodeId, runs.size());
            for (String testId : runs) readBack(testId);
        });
    }

    /** Reads run {@code testId}'s log after the last event handled, holding its live events meanwhile. */
    private void readBack(String testId) {
        if (!c.byRun.containsKey(testId)) return;
        holding.putIfAbsent(testId, new ArrayList<>());
        EventId last = handled.get(testId);
        String from = last == null ? "-" : "(" + last;
        c.link.send(Request.cmd(Command.XRANGE).arg(RunKeys.key(testId, "evs")).arg(from).arg("+"))
                .onComplete(done -> c.onContext(() -> {
                    if (done.failed()) {
                        log.warn("node {}: reading back the events of run {} failed, retrying: {}", c.nodeId, testId, done.cause().toString());
                        c.vertx.setTimer(RETRY_MS, t -> c.onContext(() -> readBack(testId)));
                        return;
                    }
                    List<JsonNode> held = holding.remove(testId);
                    for (Response entry : done.result()) {
                        try {
                            ObjectNode event = (ObjectNode) JSON.readTree(entry.get(1).get(1).toString());
                            event.put("id", entry.get(0).toString());
                            handle(testId, event);
                        } catch (IOException | RuntimeException e) {
                            log.error("logged event of run {} could not be read: {}", testId, e.toString());
                        }
                    }
                    if (held != null) for (JsonNode event : held) handle(testId, event);
                }));
    }

    private void release(String testId, JsonNode event) {
        JsonNode r = event.get("r");
        String identifier = r.get("i").asText();
        c.checkpointTimers.released(testId, identifier);
        Release release = new Release(identifier, r.get("f").asBoolean(), r.get("why").asText(), r.get("j").asInt(),
                r.get("t").asInt(), r.get("s").asLong(), strings(r.get("lost")), strings(r.get("ja")),
                strings(r.get("aa")));
        for (JsonNode to : event.get("to")) {
            ClusterMembership m = c.members.get(to.get(0).asText());
            if (m != null && m.testId().equals(testId)) m.member().release(release, reply(to.get(1).asText()));
        }
    }

    private void message(String testId, JsonNode event) {
        String topic = event.get("t").asText();
        TopicMessage message = new TopicMessage(topic, event.get("s").asLong(), event.get("p").asText(),
                event.get("ts").asLong());
        for (ClusterMembership m : c.local(testId)) {
            TopicFeed feed = m.feeds.get(topic);
            if (feed != null && feed.live(message)) m.member().message(message, feed.replyId);
        }
    }

    private void grant(JsonNode event) {
        ClusterMembership m = c.members.get(event.get("c").asText());
        if (m == null) return;
        m.granted(event.get("tk").asText());
        m.member().lockGranted(event.get("n").asText(), event.get("fe").asLong(), reply(event.get("r").asText()));
    }

    /** cjson writes an empty list as {}: both are read as no names. */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String reply(String stored) {
        return stored.isEmpty() ? null : stored;
    }
}
