package io.testsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exact checks of the replies of protocol v1 and the toolkit (SPEC §9): the envelope as
 * {@link Replies} checks it, and a content with exactly the fields and values the contract names.
 */
final class V1Replies {

    private V1Replies() {
    }

    /** An object node from JSON text written in this program (so it cannot fail). */
    static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.parse(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }

    /**
     * The next frame must be {@code {"command":<command>,"id":<id>,"content":<content>}}, the content
     * with exactly {@code content}'s fields and values; returns the frame.
     */
    static Frame.Text expectReply(Agent agent, String command, JsonNode id, ObjectNode content, Deadline d) throws Exception {
        String expected = envelope(command, id, Json.write(content));
        Frame.Text frame = Replies.expectText(agent, expected, d);
        JsonNode actual = Replies.envelopeContent(agent, frame, expected, command, id);
        if (!Json.same(actual, content)) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
        return frame;
    }

    /**
     * The next frame must be a reply whose content has exactly the fields of {@code fixed} plus those
     * named in {@code integers}; the fixed ones with their values, the others integers of at least
     * {@code min}. Returns the content.
     */
    static JsonNode expectReplyWith(Agent agent, String command, JsonNode id, ObjectNode fixed, Map<String, Long> integers,
                                    Deadline d) throws Exception {
        StringBuilder shape = new StringBuilder(Json.write(fixed));
        shape.setLength(shape.length() - 1);
        for (String name : integers.keySet()) {
            shape.append(shape.length() > 1 ? "," : "").append('"').append(name).append("\":N");
        }
        String expected = envelope(command, id, shape.append('}').toString());
        Frame.Text frame = Replies.expectText(agent, expected, d);
        JsonNode c = Replies.envelopeContent(agent, frame, expected, command, id);
        Set<String> names = new TreeSet<>(Json.fieldNames(fixed));
        names.addAll(integers.keySet());
        boolean ok = c != null && c.isObject() && new TreeSet<>(Json.fieldNames(c)).equals(names);
        for (Iterator<String> it = fixed.fieldNames(); ok && it.hasNext(); ) {
            String name = it.next();
            ok = Json.same(c.get(name), fixed.get(name));
        }
        for (Map.Entry<String, Long> e : ok ? integers.entrySet() : Set.<Map.Entry<String, Long>>of()) {
            JsonNode n = c.get(e.getKey());
            ok &= n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= e.getValue();
        }
        if (!ok) {
            String bounds = integers.isEmpty() ? "" : " (N: integers, " + integers.entrySet().stream()
                    .map(e -> e.getKey() + " >= " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("") + ")";
            throw StepFailure.expected(agent.name() + " to receive " + expected + bounds, frame.describe());
        }
        return c;
    }

    /** The next frame must be an error frame with this code for this command, echoing the id. */
    static void expectError(Agent agent, JsonNode id, String code, String command, Deadline d) throws Exception {
        String expected = envelope("error", id, "{\"code\":\"" + code + "\",\"command\":\"" + command + "\",\"error\":\"...\"}");
        Frame.Text frame = Replies.expectText(agent, expected, d);
        JsonNode c = Replies.envelopeContent(agent, frame, expected, "error", id);
        if (!code.equals(c.path("code").asText(null)) || !command.equals(c.path("command").asText(null))
                || !c.path("error").isTextual() || c.path("error").asText().isBlank()) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
    }

    /** The server closes the connection with 1000 next: in v1 that is the reply to close. */
    static void expectClose(Agent agent, Deadline d) throws Exception {
        Frame frame = agent.next("the server closing the connection with code 1000", d);
        if (!(frame instanceof Frame.Closed closed) || closed.code() != 1000) {
            throw StepFailure.expected(agent.name() + " to see the server close the connection with code 1000", frame.describe());
        }
    }

    static String envelope(String command, JsonNode id, String content) {
        return "{\"command\":\"" + command + "\"" + (id == null ? "" : ",\"id\":" + Json.write(id)) + ",\"content\":" + content + "}";
    }
}
