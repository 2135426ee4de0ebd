package io.testsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Requests one node makes of another (SPEC §10 in a cluster): each node incarnation listens on a channel
 * of its own, {@code testsync:node:{<incarnation>}:ctl}, for the connections an operator removed; the
 * node that holds a connection is the only one that can close it.
 */
final class NodeControl implements SubscriptionHandler {
    private static final Logger log = LoggerFactory.getLogger(NodeControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisCoordinator c;
    private final Subscription subscription;

    NodeControl(RedisCoordinator c) {
        this.c = c;
        this.subscription = c.link.subscribe(channel(c.incarnation), this);
    }

    static String channel(String incarnation) {
        return RunKeys.PREFIX + "node:{" + incarnation + "}:ctl";
    }

    /** Asks node incarnation {@code incarnation} to close {@code conns} with {@code code}; how many nodes heard it. */
    Future<Long> close(String incarnation, Collection<String> conns, int code, String reason) {
        var o = JSON.createObjectNode().put("k", "close").put("code", code).put("why", reason);
        var list = o.putArray("c");
        conns.forEach(list::add);
        return c.link.publish(channel(incarnation), Buffer.buffer(o.toString()));
    }

    @Override
    public void message(String channel, Buffer payload) {
        try {
            JsonNode m = JSON.readTree(payload.getBytes());
            if (!"close".equals(m.path("k").asText())) {
                log.warn("unknown request on {}: {}", channel, m);
                return;
            }
            for (JsonNode conn : m.path("c")) {
                ClusterMembership member = c.members.get(conn.asText());
                if (member != null) member.member().disconnect(m.path("code").asInt(), m.path("why").asText());
            }
        } catch (IOException | RuntimeException e) {
            log.error("request on {} could not be handled: {}", channel, e.toString(), e);
        }
    }

    void close() {
        subscription.close();
    }

}
