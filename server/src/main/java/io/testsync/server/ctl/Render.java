package io.testsync.server.ctl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The management API's answers as a person at a terminal reads them. */
final class Render {
    private Render() {}

    static String runs(JsonNode body, long now) {
        JsonNode runs = body.path("runs");
        if (runs.isEmpty()) return "no runs held\n";
        Table t = new Table("RUN", ">AGENTS", ">WAITING", ">LAST ACTIVITY");
        for (JsonNode r : runs) {
            t.row(r.path("id").asText(), r.path("agents").asInt(), r.path("checkpoints_waiting").asInt(),
                    ago(now, r.path("last_activity_ms").asLong()));
        }
        return t.toString() + runs.size() + (runs.size() == 1 ? " run\n" : " runs\n");
    }

    static String run(JsonNode d, long now) {
        StringBuilder sb = new StringBuilder();
        JsonNode agents = d.path("agents");
        int waiting = 0;
        for (JsonNode c : d.path("checkpoints")) if ("waiting".equals(c.path("state").asText())) waiting++;
        JsonNode data = d.path("data");
        sb.append("run ").append(d.path("id").asText()).append(": ").append(agents.size()).append(" agents, ")
                .append(waiting).append(waiting == 1 ? " checkpoint" : " checkpoints").append(" waiting, data: ")
                .append(data.isNull() ? "none" : data.path("bytes").asLong() + " bytes " + data.path("content_type").asText())
                .append('\n');
        if (!agents.isEmpty()) {
            Table t = new Table("AGENT", "CONNECTION", "REMOTE", "PROTOCOL", "CONNECTED");
            for (JsonNode a : agents) {
                t.row(a.path("agent").asText(), a.path("connection").asText(), a.path("remote").asText(),
                        a.path("protocol").asText(), ago(now, a.path("connected_at_ms").asLong()));
            }
            sb.append("\nAGENTS\n").append(t);
        }
        JsonNode checkpoints = d.path("checkpoints");
        if (!checkpoints.isEmpty()) {
            Table t = new Table("CHECKPOINT", "STATE", ">JOINED", "JOINED AGENTS", "NOT JOINED", "TIMES OUT");
            for (JsonNode c : checkpoints) {
                boolean open = "waiting".equals(c.path("state").asText());
                List<String> joined = texts(c.path("joined_agents"));
                t.row(c.path("identifier").asText(), c.path("state").asText(),
                        c.path("joined").asInt() + "/" + c.path("target").asInt(),
                        open ? String.join(", ", joined) : "",
                        open ? String.join(", ", absent(agents, joined)) : "",
                        !open ? "" : c.path("deadline_ms").isNull() ? "never" : in(now, c.path("deadline_ms").asLong()));
            }
            sb.append("\nCHECKPOINTS\n").append(t);
        }
        numbers(sb, "COUNTERS", "COUNTER", d.path("counters"));
        numbers(sb, "STATES", "STATE", d.path("states"));
        if (!d.path("topics").isEmpty()) {
            Table t = new Table("TOPIC", ">MESSAGES", ">SUBSCRIBERS");
            for (JsonNode x : d.path("topics")) t.row(x.path("topic").asText(), x.path("messages").asLong(), x.path("subscribers").asInt());
            sb.append("\nTOPICS\n").append(t);
        }
        if (!d.path("locks").isEmpty()) {
            Table t = new Table("LOCK", "HOLDER", "WAITING", ">FENCE");
            for (JsonNode l : d.path("locks")) {
                List<String> waiters = new ArrayList<>();
                for (JsonNode w : l.path("waiting")) waiters.add(holder(w));
                t.row(l.path("name").asText(), l.path("holder").isNull() ? "free" : holder(l.path("holder")),
                        String.join(", ", waiters), l.path("fence").asLong());
            }
            sb.append("\nLOCKS\n").append(t);
        }
        return sb.toString();
    }

    private static void numbers(StringBuilder sb, String title, String column, JsonNode map) {
        if (map.isEmpty()) return;
        Table t = new Table(column, ">VALUE");
        map.fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue().asLong()));
        sb.append('\n').append(title).append('\n').append(t);
    }

    private static String holder(JsonNode h) {
        return h.path("agent").asText() + " (" + h.path("connection").asText() + ")";
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    /** Connected agents not among those who joined; names are counted, as two agents may share one. */
    static List<String> absent(JsonNode agents, List<String> joined) {
        Map<String, Integer> left = new HashMap<>();
        for (String n : joined) left.merge(n, 1, Integer::sum);
        List<String> out = new ArrayList<>();
        for (JsonNode a : agents) {
            String name = a.path("agent").asText();
            if (left.getOrDefault(name, 0) > 0) left.merge(name, -1, Integer::sum);
            else out.add(name);
        }
        out.sort(null);
        return out;
    }

    static String ago(long now, long then) {
        return span(Math.max(0, now - then)) + " ago";
    }

    static String in(long now, long then) {
        return "in " + span(Math.max(0, then - now));
    }

    private static String span(long ms) {
        long s = ms / 1000;
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min";
        if (s < 86400) return s / 3600 + " h";
        return s / 86400 + " d";
    }
}
