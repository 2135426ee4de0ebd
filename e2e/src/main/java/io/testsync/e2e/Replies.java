package io.testsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exact checks of what an agent receives: the next frame must be the reply the contract (SPEC §3, §4) promises. */
final class Replies {

    /** start_in_ms and server_time_ms may come from two readings of the server's clock. */
    private static final long CLOCK_READING_SLACK_MS = 5;

    private Replies() {
    }

    static void expectBinary(Agent agent, byte[] bytes, String what, Deadline d) throws Exception {
        String expected = "ONE binary frame with " + what + " " + Problems.preview(bytes);
        Frame frame = agent.next(expected, d);
        if (!(frame instanceof Frame.Binary binary) || !Arrays.equals(binary.bytes(), bytes)) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
    }

    static void expectCount(Agent agent, JsonNode id, int count, Deadline d) throws Exception {
        String expected = "{\"command\":\"get_connection_count\",\"id\":" + Json.write(id) + ",\"content\":{\"count\":" + count + "}}";
        Frame.Text frame = expectText(agent, expected, d);
        JsonNode content = envelopeContent(agent, frame, expected, "get_connection_count", id);
        if (!Json.same(content, Json.MAPPER.createObjectNode().put("count", count))) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
    }

    /** What a release told one agent, and when it arrived. */
    record Released(long startAt, long startInMs, long receivedAtNanos, String frame) {
        long resumeAtNanos() {
            return receivedAtNanos + TimeUnit.MILLISECONDS.toNanos(startInMs);
        }
    }

    static Released expectRelease(Agent agent, String checkpoint, JsonNode id, Deadline d) throws Exception {
        String expected = "{\"command\":\"wait_checkpoint\",\"id\":" + Json.write(id) + ",\"content\":{\"identifier\":\""
                + checkpoint + "\",\"finished\":true,\"reason\":\"complete\",\"joined\":2,\"target\":2,"
                + "\"start_at\":N,\"start_in_ms\":N,\"server_time_ms\":N}}";
        Frame.Text frame = expectText(agent, expected, d);
        JsonNode c = envelopeContent(agent, frame, expected, "wait_checkpoint", id);
        boolean shape = checkpoint.equals(c.path("identifier").asText(null))
                && c.path("finished").isBoolean() && c.path("finished").booleanValue()
                && "complete".equals(c.path("reason").asText(null))
                && Json.same(c.get("joined"), IntNode.valueOf(2))
                && Json.same(c.get("target"), IntNode.valueOf(2))
                && isLong(c.get("start_at")) && isLong(c.get("start_in_ms")) && isLong(c.get("server_time_ms"));
        if (!shape) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
        long startAt = c.get("start_at").longValue();
        long startIn = c.get("start_in_ms").longValue();
        long serverTime = c.get("server_time_ms").longValue();
        long computed = Math.max(0, startAt - serverTime);
        if (startIn < 0 || Math.abs(startIn - computed) > CLOCK_READING_SLACK_MS) {
            throw StepFailure.expected(agent.name() + ": start_in_ms = max(0, start_at - server_time_ms) = " + computed,
                    "start_in_ms " + startIn + " in " + frame.describe());
        }
        return new Released(startAt, startIn, frame.receivedAtNanos(), frame.text());
    }

    static Frame.Text expectText(Agent agent, String expected, Deadline d) throws Exception {
        Frame frame = agent.next(expected, d);
        if (!(frame instanceof Frame.Text text)) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
        return text;
    }

    /**
     * Checks the envelope of a reply — the fields command, id (only when the request had one) and
     * content, in that order — and returns its content.
     */
    static JsonNode envelopeContent(Agent agent, Frame.Text frame, String expected, String command, JsonNode id)
            throws StepFailure {
        JsonNode node;
        try {
            node = Json.parse(frame.text());
        } catch (IOException e) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe() + " (not valid JSON)");
        }
        List<String> order = id == null ? List.of("command", "content") : List.of("command", "id", "content");
        if (!node.isObject() || !Json.fieldNames(node).equals(order)) {
            throw StepFailure.expected(agent.name() + " to receive " + expected + " (fields " + String.join(", ", order)
                    + " in that order)", frame.describe());
        }
        if (!command.equals(node.get("command").asText(null)) || !node.get("command").isTextual()) {
            throw StepFailure.expected(agent.name() + " to receive " + expected, frame.describe());
        }
        if (id != null && (!Json.same(node.get("id"), id) || node.get("id").isNumber() != id.isNumber())) {
            throw StepFailure.expected(agent.name() + " to receive " + expected + " (the request's id echoed as sent)",
                    frame.describe());
        }
        return node.get("content");
    }

    private static boolean isLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }
}
