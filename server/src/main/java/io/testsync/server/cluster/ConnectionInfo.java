package io.testsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.testsync.server.runs.MemberInfo;

import java.io.IOException;

/**
 * What the management API shows of a connection that is not in this JVM (SPEC §10 in a cluster): its
 * node stores it beside the run's members when it admits the connection ({@code <prefix>info}, one JSON
 * object per connection), and any node reads it back.
 */
final class ConnectionInfo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectionInfo() {}

    /** {@code {"id","remote","protocol","at"}} of a connection admitted here. */
    static String json(MemberInfo info) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", info.connection());
        o.put("remote", info.remote() == null ? "" : info.remote());
        o.put("protocol", info.protocol() == null ? "seed" : info.protocol());
        o.put("at", info.connectedAtMs());
        return o.toString();
    }

    /**
     * The connection {@code conn} (Redis's name: incarnation/member id) of node incarnation {@code incarnation}
     * as the management API shows it; {@code stored} is what {@link #json} wrote, empty when nothing was.
     */
    static MemberInfo parse(String conn, String agent, String incarnation, String stored) {
        String id = conn.substring(conn.indexOf('/') + 1);
        String node = nodeOf(incarnation);
        if (stored == null || stored.isEmpty()) return new MemberInfo(id, agent, "", "seed", 0, node);
        try {
            JsonNode o = JSON.readTree(stored);
            return new MemberInfo(o.path("id").asText(id), agent, o.path("remote").asText(""), o.path("protocol").asText("seed"),
                    o.path("at").asLong(), node);
        } catch (IOException e) {
            return new MemberInfo(id, agent, "", "seed", 0, node);
        }
    }

    /** The node id of an incarnation ({@code <node id>#<start>}). */
    static String nodeOf(String incarnation) {
        int hash = incarnation.indexOf('#');
        return hash < 0 ? incarnation : incarnation.substring(0, hash);
    }
}
