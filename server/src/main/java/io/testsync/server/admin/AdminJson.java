package io.testsync.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of the management API (SPEC §10): exact field names and order, snake_case, {@code null}
 * where the contract says so. Streaming, so a list of 10,000 runs is one buffer and no tree.
 */
public final class AdminJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AdminJson() {}

    /** {@code {"runs":[{"id","agents","checkpoints_waiting","last_activity_ms"}, …]}}. */
    public static byte[] runs(List<RunSummary> runs) {
        return write(64 + runs.size() * 96, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("runs");
            for (RunSummary r : runs) summary(g, r);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The live page's change event: the rows that changed and the runs that are gone. */
    public static byte[] changes(List<RunSummary> changed, Collection<String> removed) {
        return write(64 + changed.size() * 96, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("runs");
            for (RunSummary r : changed) summary(g, r);
            g.writeEndArray();
            g.writeArrayFieldStart("removed");
            for (String id : removed) g.writeString(id);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void summary(JsonGenerator g, RunSummary r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeNumberField("agents", r.agents());
        g.writeNumberField("checkpoints_waiting", r.checkpointsWaiting());
        g.writeNumberField("last_activity_ms", r.lastActivityMs());
        g.writeEndObject();
    }

    /** The run detail of {@code GET /api/v1/runs/{testID}}. */
    public static byte[] detail(RunDetail d) {
        return write(1024, g -> {
            g.writeStartObject();
            g.writeStringField("id", d.id());
            g.writeArrayFieldStart("agents");
            for (RunDetail.Agent a : d.agents()) {
                g.writeStartObject();
                g.writeStringField("connection", a.connection());
                g.writeStringField("agent", a.agent());
                g.writeStringField("remote", a.remote());
                g.writeStringField("protocol", a.protocol());
                g.writeNumberField("connected_at_ms", a.connectedAtMs());
                g.writeStringField("node", a.node());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("checkpoints");
            for (RunDetail.Checkpoint c : d.checkpoints()) checkpoint(g, c);
            g.writeEndArray();
            numbers(g, "counters", d.counters());
            numbers(g, "states", d.states());
            g.writeArrayFieldStart("topics");
            for (RunDetail.Topic t : d.topics()) {
                g.writeStartObject();
                g.writeStringField("topic", t.topic());
                g.writeNumberField("messages", t.messages());
                g.writeNumberField("subscribers", t.subscribers());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("locks");
            for (RunDetail.Lock l : d.locks()) lock(g, l);
            g.writeEndArray();
            if (d.data() == null) {
                g.writeNullField("data");
            } else {
                g.writeObjectFieldStart("data");
                g.writeNumberField("bytes", d.data().bytes());
                g.writeStringField("content_type", d.data().contentType());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private static void checkpoint(JsonGenerator g, RunDetail.Checkpoint c) throws IOException {
        g.writeStartObject();
        g.writeStringField("identifier", c.identifier());
        g.writeStringField("state", c.complete() ? "complete" : "waiting");
        g.writeNumberField("target", c.target());
        g.writeNumberField("joined", c.joined());
        g.writeArrayFieldStart("joined_agents");
        for (String name : c.joinedAgents()) g.writeString(name);
        g.writeEndArray();
        nullableNumber(g, "deadline_ms", c.deadlineMs());
        nullableNumber(g, "start_at", c.startAt());
        g.writeEndObject();
    }

    private static void lock(JsonGenerator g, RunDetail.Lock l) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", l.name());
        if (l.holder() == null) {
            g.writeNullField("holder");
        } else {
            g.writeFieldName("holder");
            holder(g, l.holder());
        }
        g.writeArrayFieldStart("waiting");
        for (RunDetail.Holder w : l.waiting()) holder(g, w);
        g.writeEndArray();
        g.writeNumberField("fence", l.fence());
        g.writeEndObject();
    }

    private static void holder(JsonGenerator g, RunDetail.Holder h) throws IOException {
        g.writeStartObject();
        g.writeStringField("connection", h.connection());
        g.writeStringField("agent", h.agent());
        g.writeEndObject();
    }

    /** A name-to-number map, sorted by name so the same state always renders the same bytes. */
    private static void numbers(JsonGenerator g, String field, Map<String, Long> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : new TreeMap<>(values).entrySet()) g.writeNumberField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) g.writeNullField(field);
        else g.writeNumberField(field, value);
    }

    /** {@code {"released":N}}. */
    public static byte[] released(int n) {
        return ("{\"released\":" + n + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
