package io.testsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The walk through protocol v1 and the toolkit (SPEC §9) that follows the seed walk of
 * {@link Scenario}, in the same run: agents that offer {@code testsync.v1} and name themselves, the
 * welcome frame, one reply per command, and one command of each kind of the toolkit with its exact
 * reply. Names of states, counters, topics, locks and checkpoints carry a fresh suffix, so the walk
 * can be repeated against one server under one fixed test id.
 */
final class V1Walk implements AutoCloseable {

    static final String PROTOCOL = "testsync.v1";
    private static final Duration STEP = Duration.ofSeconds(10);
    /** Stored with update_data and read back verbatim: spacing, the escape and 2.50 survive only as an exact copy. */
    static final String DATA = "{ \"v1\" : true,  \"escaped\": \"caf\\u00e9\", \"n\": 2.50 }";
    /** Not JSON, so read_data must answer it as base64. */
    static final byte[] BINARY = {0x00, (byte) 0xff, 'x'};
    static final String[] PAYLOADS = {"{\"setup\": \"done\",  \"token\": \"t-1\"}", "[1, 2.50, null]", "\"third\"", "null"};

    private final Settings settings;
    private final HttpClient client;
    private final Http http;
    private final String authorization;
    private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final String state = "e2e-role-" + suffix;
    private final String counter = "e2e-logins-" + suffix;
    private final String topic = "e2e-setup-" + suffix;
    private final String lock = "e2e-account-" + suffix;
    private final String checkpoint = "e2e-fail-fast-" + suffix;
    /** Each agent's connection id, from its welcome frame. */
    private final Map<Agent, String> agentConnection = new IdentityHashMap<>();
    private Agent a;
    private Agent b;
    private Agent c;
    /** The fence of the latest grant of the lock. */
    private long fence;

    V1Walk(Settings settings, HttpClient client, Http http, String authorization) {
        this.settings = settings;
        this.client = client;
        this.http = http;
        this.authorization = authorization;
    }

    /** The steps that need the run's data in place; the seed walk's cleanup follows them. */
    void beforeCleanup(StepRunner steps) throws StepRunner.Failed {
        steps.step("v1-connect", STEP, this::connect);
        steps.step("v1-update_data", STEP, this::updateData);
        steps.step("v1-read_data", STEP, this::readData);
        steps.step("v1-read_data-base64", STEP, this::readBinary);
        steps.step("v1-signal_entry", STEP, this::signalEntry);
        steps.step("v1-counter", STEP, this::counter);
        steps.step("v1-publish-subscribe", STEP, this::publishSubscribe);
        steps.step("v1-unsubscribe", STEP, this::unsubscribe);
        steps.step("v1-lock", STEP, this::lockUnlock);
        steps.step("v1-lock-timeout", STEP, this::lockTimeout);
        steps.step("v1-fail_on_leave", STEP, this::failOnLeave);
    }

    /** The steps after the cleanup deleted the run's data. */
    void afterCleanup(StepRunner steps) throws StepRunner.Failed {
        steps.step("v1-read_data-none", STEP, this::readNothing);
        steps.step("v1-close", STEP, this::closeCommand);
    }

    private URI uri(String agent) {
        return URI.create(settings.wsUrl() + "/register/" + settings.testId() + "?agent=" + agent);
    }

    /** Offers testsync.v1, which the server selects; its first frame is the welcome naming run, agent and connection. */
    private Agent connectV1(String name, Deadline d) throws Exception {
        Agent agent = Agent.connect(client, uri(name), authorization, name, PROTOCOL, d);
        if (!PROTOCOL.equals(agent.subprotocol())) {
            agent.abort();
            throw StepFailure.expected(name + ": the server to select Sec-WebSocket-Protocol " + PROTOCOL,
                    agent.subprotocol().isEmpty() ? "no subprotocol selected" : "\"" + agent.subprotocol() + "\"");
        }
        String expected = "{\"command\":\"welcome\",\"content\":{\"protocol\":\"" + PROTOCOL + "\",\"run\":\"" + settings.testId()
                + "\",\"agent\":\"" + name + "\",\"connection\":\"<id>\",\"server_time_ms\":N,\"limits\":{\"max_data_bytes\":N, ...}}}";
        Frame.Text frame = Replies.expectText(agent, expected, d);
        JsonNode w = Replies.envelopeContent(agent, frame, expected, "welcome", null);
        List<String> fields = List.of("protocol", "run", "agent", "connection", "server_time_ms", "limits");
        boolean ok = w != null && w.isObject() && Json.fieldNames(w).equals(fields)
                && PROTOCOL.equals(w.get("protocol").asText(null)) && settings.testId().equals(w.get("run").asText(null))
                && name.equals(w.get("agent").asText(null)) && w.get("connection").isTextual() && !w.get("connection").asText().isEmpty()
                && w.get("server_time_ms").isIntegralNumber() && w.get("limits").isObject()
                && w.get("limits").path("max_data_bytes").isIntegralNumber() && w.get("limits").path("max_data_bytes").longValue() > 0;
        for (Iterator<JsonNode> limits = ok ? w.get("limits").elements() : List.<JsonNode>of().iterator(); ok && limits.hasNext(); ) {
            JsonNode limit = limits.next();
            ok = limit.isIntegralNumber() && limit.longValue() > 0;
        }
        if (!ok) {
            throw StepFailure.expected(name + " to receive " + expected + " (fields in that order, every limit a positive integer)",
                    frame.describe());
        }
        agentConnection.put(agent, w.get("connection").asText());
        return agent;
    }

    private void connect(Deadline d) throws Exception {
        a = connectV1("e2e-v1-a", d);
        b = connectV1("e2e-v1-b", d);
        if (agentConnection.get(a).equals(agentConnection.get(b))) {
            throw StepFailure.expected("two connections to have different connection ids",
                    "\"" + agentConnection.get(a) + "\" in both welcome frames");
        }
    }

    /** v1: update_data is answered, once the write is done, with the number of bytes stored. */
    private void updateData(Deadline d) throws Exception {
        a.send("{\"command\":\"update_data\",\"id\":\"v1-update\",\"content\":" + DATA + "}", d);
        V1Replies.expectReply(a, "update_data", TextNode.valueOf("v1-update"),
                V1Replies.object("{\"stored\":true,\"bytes\":" + DATA.getBytes(StandardCharsets.UTF_8).length + "}"), d);
    }

    /** v1: read_data is a text reply holding the stored JSON value verbatim. */
    private void readData(Deadline d) throws Exception {
        b.send("{\"command\":\"read_data\",\"id\":9}", d);
        Frame.Text frame = V1Replies.expectReply(b, "read_data", IntNode.valueOf(9),
                V1Replies.object("{\"exists\":true,\"content_type\":\"application/json\",\"data\":" + DATA + "}"), d);
        if (!frame.text().contains("\"data\":" + DATA + "}")) {
            throw StepFailure.expected("agent e2e-v1-b to receive the data as its exact stored bytes \"data\":" + Problems.preview(DATA),
                    frame.describe());
        }
    }

    /** Data that is not JSON (here PUT over HTTP) comes back as base64, with its content type. */
    private void readBinary(Deadline d) throws Exception {
        String path = "/tests/" + settings.testId();
        Http.Response r = http.put(path, BINARY, "application/octet-stream", d);
        if (r.status() != 200) {
            throw StepFailure.expected("HTTP 200 from PUT " + http.url(path), r.describe());
        }
        b.send("{\"command\":\"read_data\",\"id\":\"read-binary\"}", d);
        V1Replies.expectReply(b, "read_data", TextNode.valueOf("read-binary"), V1Replies.object(
                "{\"exists\":true,\"content_type\":\"application/octet-stream\",\"data_base64\":\"AP94\"}"), d);
    }

    private void readNothing(Deadline d) throws Exception {
        a.send("{\"command\":\"read_data\",\"id\":\"read-none\"}", d);
        V1Replies.expectReply(a, "read_data", TextNode.valueOf("read-none"), V1Replies.object("{\"exists\":false}"), d);
    }

    /** One number per agent and state: 1 for the first to ask, 2 for the next. */
    private void signalEntry(Deadline d) throws Exception {
        String content = "\"content\":{\"state\":\"" + state + "\"}}";
        a.send("{\"command\":\"signal_entry\",\"id\":\"entry-a\"," + content, d);
        V1Replies.expectReply(a, "signal_entry", TextNode.valueOf("entry-a"), V1Replies.object("{\"state\":\"" + state + "\",\"seq\":1}"), d);
        b.send("{\"command\":\"signal_entry\",\"id\":\"entry-b\"," + content, d);
        V1Replies.expectReply(b, "signal_entry", TextNode.valueOf("entry-b"), V1Replies.object("{\"state\":\"" + state + "\",\"seq\":2}"), d);
    }

    /** A run-wide counter: starts at 0, each add answered with the value after it; add 0 (or none) reads it. */
    private void counter(Deadline d) throws Exception {
        a.send("{\"command\":\"counter\",\"id\":\"count-a\",\"content\":{\"name\":\"" + counter + "\",\"add\":5}}", d);
        V1Replies.expectReply(a, "counter", TextNode.valueOf("count-a"), V1Replies.object("{\"name\":\"" + counter + "\",\"value\":5}"), d);
        b.send("{\"command\":\"counter\",\"id\":\"count-b\",\"content\":{\"name\":\"" + counter + "\",\"add\":-2}}", d);
        V1Replies.expectReply(b, "counter", TextNode.valueOf("count-b"), V1Replies.object("{\"name\":\"" + counter + "\",\"value\":3}"), d);
        a.send("{\"command\":\"counter\",\"id\":\"count-read\",\"content\":{\"name\":\"" + counter + "\"}}", d);
        V1Replies.expectReply(a, "counter", TextNode.valueOf("count-read"), V1Replies.object("{\"name\":\"" + counter + "\",\"value\":3}"), d);
    }

    /** Two messages before b subscribes come as replay, the third live; payloads arrive byte for byte. */
    private void publishSubscribe(Deadline d) throws Exception {
        publish(0, d);
        publish(1, d);
        b.send("{\"command\":\"subscribe\",\"id\":\"sub-b\",\"content\":{\"topic\":\"" + topic + "\"}}", d);
        V1Replies.expectReply(b, "subscribe", TextNode.valueOf("sub-b"),
                V1Replies.object("{\"topic\":\"" + topic + "\",\"subscribed\":true}"), d);
        expectMessage(b, "sub-b", 1, d);
        expectMessage(b, "sub-b", 2, d);
        publish(2, d);
        expectMessage(b, "sub-b", 3, d);
        b.send("{\"command\":\"subscribe\",\"id\":\"sub-again\",\"content\":{\"topic\":\"" + topic + "\"}}", d);
        V1Replies.expectError(b, TextNode.valueOf("sub-again"), "invalid_argument", "subscribe", d);
    }

    /** After the reply to unsubscribe no message of the topic follows; a new subscribe from_seq 3 replays from there. */
    private void unsubscribe(Deadline d) throws Exception {
        b.send("{\"command\":\"unsubscribe\",\"id\":\"unsub-b\",\"content\":{\"topic\":\"" + topic + "\"}}", d);
        V1Replies.expectReply(b, "unsubscribe", TextNode.valueOf("unsub-b"),
                V1Replies.object("{\"topic\":\"" + topic + "\",\"unsubscribed\":true}"), d);
        publish(3, d);
        // a round trip on b: a message of seq 4 would arrive before its answer
        b.send("{\"command\":\"get_connection_count\",\"id\":\"after-unsub\"}", d);
        Replies.expectCount(b, TextNode.valueOf("after-unsub"), 2, d);
        b.send("{\"command\":\"subscribe\",\"id\":\"sub-3\",\"content\":{\"topic\":\"" + topic + "\",\"from_seq\":3}}", d);
        V1Replies.expectReply(b, "subscribe", TextNode.valueOf("sub-3"),
                V1Replies.object("{\"topic\":\"" + topic + "\",\"subscribed\":true}"), d);
        expectMessage(b, "sub-3", 3, d);
        expectMessage(b, "sub-3", 4, d);
    }

    private void publish(int index, Deadline d) throws Exception {
        String id = "pub-" + (index + 1);
        a.send("{\"command\":\"publish\",\"id\":\"" + id + "\",\"content\":{\"topic\":\"" + topic + "\",\"payload\":" + PAYLOADS[index] + "}}", d);
        V1Replies.expectReply(a, "publish", TextNode.valueOf(id), V1Replies.object("{\"topic\":\"" + topic + "\",\"seq\":" + (index + 1) + "}"), d);
    }

    private void expectMessage(Agent agent, String subscribeId, int seq, Deadline d) throws Exception {
        String payload = PAYLOADS[seq - 1];
        ObjectNode fixed = V1Replies.object("{\"topic\":\"" + topic + "\",\"seq\":" + seq + ",\"payload\":" + payload + "}");
        V1Replies.expectReplyWith(agent, "message", TextNode.valueOf(subscribeId), fixed, Map.of("published_at_ms", 0L), d);
    }

    /** a holds the lock, b waits in line and is granted when a unlocks, with a larger fence. */
    private void lockUnlock(Deadline d) throws Exception {
        a.send("{\"command\":\"lock\",\"id\":\"lock-a\",\"content\":{\"name\":\"" + lock + "\"}}", d);
        long fenceA = grant(a, "lock-a", 1, d);
        b.send("{\"command\":\"lock\",\"id\":\"lock-b\",\"content\":{\"name\":\"" + lock + "\",\"timeout_ms\":8000}}", d);
        // a round trip on b: b is in line, not granted (a grant would arrive before this answer)
        b.send("{\"command\":\"get_connection_count\",\"id\":\"waiting\"}", d);
        Replies.expectCount(b, TextNode.valueOf("waiting"), 2, d);
        unlock(a, "unlock-a", d);
        long fenceB = grant(b, "lock-b", fenceA + 1, d);
        unlock(b, "unlock-b", d);
        fence = fenceB;
    }

    /** A wait that runs out is answered acquired:false, reason timeout. */
    private void lockTimeout(Deadline d) throws Exception {
        a.send("{\"command\":\"lock\",\"id\":\"lock-again\",\"content\":{\"name\":\"" + lock + "\"}}", d);
        grant(a, "lock-again", fence + 1, d);
        b.send("{\"command\":\"lock\",\"id\":\"lock-short\",\"content\":{\"name\":\"" + lock + "\",\"timeout_ms\":300}}", d);
        V1Replies.expectReply(b, "lock", TextNode.valueOf("lock-short"),
                V1Replies.object("{\"name\":\"" + lock + "\",\"acquired\":false,\"reason\":\"timeout\"}"), d);
        unlock(a, "unlock-again", d);
    }

    private long grant(Agent agent, String id, long minFence, Deadline d) throws Exception {
        JsonNode c = V1Replies.expectReplyWith(agent, "lock", TextNode.valueOf(id),
                V1Replies.object("{\"name\":\"" + lock + "\",\"acquired\":true}"), Map.of("fence", minFence), d);
        return c.get("fence").longValue();
    }

    private void unlock(Agent agent, String id, Deadline d) throws Exception {
        agent.send("{\"command\":\"unlock\",\"id\":\"" + id + "\",\"content\":{\"name\":\"" + lock + "\"}}", d);
        V1Replies.expectReply(agent, "unlock", TextNode.valueOf(id), V1Replies.object("{\"name\":\"" + lock + "\",\"released\":true}"), d);
    }

    /** a and c wait at a fail_on_leave checkpoint; c's connection drops; a is released at once, naming c, b and itself. */
    private void failOnLeave(Deadline d) throws Exception {
        c = connectV1("e2e-v1-c", d);
        String join = ",\"content\":{\"identifier\":\"" + checkpoint + "\",\"target_count\":3,\"timeout_ms\":8000,\"fail_on_leave\":true}}";
        a.send("{\"command\":\"wait_checkpoint\",\"id\":\"fail-a\"" + join, d);
        a.send("{\"command\":\"get_connection_count\",\"id\":\"a-joined\"}", d);
        Replies.expectCount(a, TextNode.valueOf("a-joined"), 3, d);
        c.send("{\"command\":\"wait_checkpoint\",\"id\":\"fail-c\"" + join, d);
        c.send("{\"command\":\"get_connection_count\",\"id\":\"c-joined\"}", d);
        Replies.expectCount(c, TextNode.valueOf("c-joined"), 3, d);
        c.abort(); // no close frame: the connection just drops
        ObjectNode fixed = V1Replies.object("{\"identifier\":\"" + checkpoint + "\",\"finished\":false,\"reason\":\"participant_lost\","
                + "\"joined\":1,\"target\":3,\"lost\":[\"e2e-v1-c\"],\"joined_agents\":[\"e2e-v1-a\"],\"absent_agents\":[\"e2e-v1-b\"]}");
        Map<String, Long> times = new LinkedHashMap<>();
        for (String field : List.of("start_at", "start_in_ms", "server_time_ms")) {
            times.put(field, 0L);
        }
        V1Replies.expectReplyWith(a, "wait_checkpoint", TextNode.valueOf("fail-a"), fixed, times, d);
    }

    /** v1: the close frame (1000) is the reply to close. */
    private void closeCommand(Deadline d) throws Exception {
        for (Agent agent : List.of(a, b)) {
            agent.send("{\"command\":\"close\",\"id\":\"bye\"}", d);
            V1Replies.expectClose(agent, d);
        }
    }

    @Override
    public void close() {
        for (Agent agent : new Agent[] {a, b, c}) {
            if (agent != null) {
                agent.abort();
            }
        }
    }
}
