package io.testsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.TopicMessage;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages the coordination script publishes on a run's channel, delivered to this node's members:
 * a checkpoint's release (to the connections it names), a topic's message (to this node's subscribers,
 * each once, in seq order) and a lock's grant (to the waiter it names). A message of a run with no member
 * here is dropped before it is parsed.
 */
final class RunEvents implements SubscriptionHandler {
    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisCoordinator c;

    RunEvents(RedisCoordinator c) {
        this.c = c;
    }

    @Override
    public void message(String channel, Buffer payload) {
        String testId = RunKeys.testIdOf(channel, "ev");
        if (testId == null || !c.byRun.containsKey(testId)) return;
        c.onContext(() -> {
            try {
                JsonNode event = JSON.readTree(payload.getBytes());
                switch (event.path("k").asText()) {
                    case "rel" -> release(testId, event);
                    case "msg" -> message(testId, event);
                    case "grant" -> grant(event);
                    default -> log.warn("unknown event on {}: {}", channel, event);
                }
            } catch (IOException | RuntimeException e) {
                log.error("event on {} could not be delivered: {}", channel, e.toString(), e);
            }
        });
    }

    @Override
    public void resubscribed() {
        // Messages published while the pub/sub connection was down are lost to this node.
        log.warn("node {}: run events published while the Redis pub/sub connection was down were missed", c.nodeId);
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
