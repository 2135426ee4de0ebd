package io.testsync.client;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The envelopes this client sends (SPEC §3, §9): {@code {"command":…,"id":N,"content":{…}}}, written
 * with Jackson's generator so names are escaped correctly; user JSON (data, payloads) is inserted
 * as it is, after {@link Inbound#requireJson} checked it is one value.
 */
final class Outbound {
    private Outbound() {
    }

    /** Writes the fields of {@code content}. */
    @FunctionalInterface
    interface Content {
        void write(JsonGenerator g) throws IOException;
    }

    static String frame(String command, long id, Content content) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = Inbound.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("command", command);
            g.writeNumberField("id", id);
            if (content != null) {
                g.writeFieldName("content");
                g.writeStartObject();
                content.write(g);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a " + command + " frame", e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** {@code update_data}: the content IS the data, not an object around it. */
    static String updateData(long id, String json) {
        return "{\"command\":\"update_data\",\"id\":" + id + ",\"content\":" + json + "}";
    }

    static Content name(String field, String value) {
        return g -> g.writeStringField(field, value);
    }

    static Content checkpoint(String identifier, int target, Long timeoutMs, boolean failOnLeave) {
        return g -> {
            g.writeStringField("identifier", identifier);
            g.writeNumberField("target_count", target);
            if (timeoutMs != null) g.writeNumberField("timeout_ms", timeoutMs);
            if (failOnLeave) g.writeBooleanField("fail_on_leave", true);
        };
    }

    static Content counter(String name, long add) {
        return g -> {
            g.writeStringField("name", name);
            g.writeNumberField("add", add);
        };
    }

    static Content publish(String topic, String payloadJson) {
        return g -> {
            g.writeStringField("topic", topic);
            g.writeFieldName("payload");
            g.writeRawValue(payloadJson);
        };
    }

    static Content subscribe(String topic, long fromSeq) {
        return g -> {
            g.writeStringField("topic", topic);
            g.writeNumberField("from_seq", fromSeq);
        };
    }

    static Content lock(String name, Long timeoutMs) {
        return g -> {
            g.writeStringField("name", name);
            if (timeoutMs != null) g.writeNumberField("timeout_ms", timeoutMs);
        };
    }
}
