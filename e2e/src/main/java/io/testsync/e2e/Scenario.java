package io.testsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The walk through the contract (SPEC §2–§4) that one run of the program makes: the HTTP API, two
 * agents on the WebSocket sharing the data, a checkpoint that releases both, errors and closing;
 * then protocol v1 and its toolkit (SPEC §9, {@link V1Walk}) in the same run.
 * Every check compares exactly: bytes, status codes, JSON shapes, echoed ids.
 */
final class Scenario implements AutoCloseable {

    private static final Duration STEP = Duration.ofSeconds(10);
    /** Longer than the join's own timeout_ms, so a barrier that never completes shows up as the server's finished:false. */
    private static final Duration CHECKPOINT_STEP = Duration.ofSeconds(15);
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final String CHECKPOINT = "e2e-ready";

    /** Posted over HTTP; non-ASCII and odd spacing so that only an exact copy compares equal. */
    static final byte[] POSTED = "{\"posted_by\": \"e2e\",  \"agents\": 2, \"note\": \"caf\u00e9 \u2713\"}"
            .getBytes(StandardCharsets.UTF_8);
    /** A second POST, which must be refused and change nothing. */
    static final byte[] POSTED_AGAIN = "{\"posted_by\": \"e2e\", \"second\": true}".getBytes(StandardCharsets.UTF_8);
    /**
     * The content of update_data exactly as it appears in the frame. Re-serializing it would change
     * the spacing, the escape sequence for é (backslash, u, 00e9: written with an escaped backslash here) and
     * the number 2.50, so the run's data must be this very text.
     */
    static final String UPDATED = "{ \"updated_by\" : \"agent-a\",\n  \"escaped\": \"caf\\u00e9\", \"raw\": \"caf\u00e9\","
            + " \"list\": [1, 2.50, true, null] }";

    private final Settings settings;
    private final HttpClient client;
    private final Http http;
    private final String authorization;
    private final String dataPath;
    private final List<Agent> agents = new ArrayList<>();
    /** Protocol v1 and the toolkit (SPEC §9), walked after the seed protocol in the same run. */
    private final V1Walk v1;
    private Agent a;
    private Agent b;
    private long startAt;

    Scenario(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(STEP)
                .build();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((settings.user() + ":" + settings.pass()).getBytes(StandardCharsets.UTF_8));
        this.http = new Http(client, settings.httpUrl(), authorization);
        this.dataPath = "/tests/" + settings.testId();
        this.v1 = new V1Walk(settings, client, http, authorization);
    }

    /** Runs every step in order; throws at the first that fails. */
    void run(StepRunner steps) throws StepRunner.Failed {
        steps.step("health", STEP, this::health);
        if (settings.fixedTestId()) {
            steps.step("prepare", STEP, this::prepare);
        }
        steps.step("post", STEP, this::post);
        steps.step("post-again", STEP, this::postAgain);
        steps.step("get", STEP, this::get);
        steps.step("connect", STEP, this::connect);
        steps.step("read_data", STEP, this::readData);
        steps.step("get_connection_count", STEP, this::connectionCount);
        steps.step("update_data", STEP, this::updateData);
        steps.step("read_data-after-update", STEP, this::readDataAfterUpdate);
        steps.step("get-after-update", STEP, this::getAfterUpdate);
        steps.step("wait_checkpoint", CHECKPOINT_STEP, this::waitCheckpoint);
        steps.step("wait_checkpoint-late-join", STEP, this::lateJoin);
        steps.step("unknown_command", STEP, this::unknownCommand);
        steps.step("close", STEP, this::closeCommand);
        v1.beforeCleanup(steps);
        steps.step("cleanup", STEP, this::cleanup);
        v1.afterCleanup(steps);
    }

    // --- HTTP ----------------------------------------------------------------------------------

    private void health(Deadline d) throws Exception {
        Http.Response r = http.get("/health", d);
        String expected = "HTTP 200 {\"status\":\"ok\"} from GET " + http.url("/health");
        if (r.status() != 200 || !isJson(r.body(), "{\"status\":\"ok\"}")) {
            throw StepFailure.expected(expected, r.describe());
        }
    }

    /** A fixed test id may hold data from an earlier run; remove it so the POST below is the first. */
    private void prepare(Deadline d) throws Exception {
        Http.Response r = http.delete(dataPath, d);
        if (r.status() != 204 && r.status() != 404) {
            throw StepFailure.expected("HTTP 204 or 404 from DELETE " + http.url(dataPath), r.describe());
        }
    }

    private void post(Deadline d) throws Exception {
        Http.Response r = http.post(dataPath, POSTED, "application/json", d);
        if (r.status() != 200 || !Arrays.equals(r.body(), POSTED)) {
            throw StepFailure.expected("HTTP 200 echoing the posted " + Problems.preview(POSTED)
                    + " from POST " + http.url(dataPath), r.describe());
        }
    }

    private void postAgain(Deadline d) throws Exception {
        Http.Response r = http.post(dataPath, POSTED_AGAIN, "application/json", d);
        expectError(r, 409, "POST " + http.url(dataPath) + " when the run already has data");
    }

    private void get(Deadline d) throws Exception {
        expectData(http.get(dataPath, d), POSTED, "the first POST's bytes (the refused second POST changed nothing)");
    }

    private void getAfterUpdate(Deadline d) throws Exception {
        expectData(http.get(dataPath, d), utf8(UPDATED), "the bytes update_data wrote");
    }

    private void cleanup(Deadline d) throws Exception {
        Http.Response r = http.delete(dataPath, d);
        if (r.status() != 204) {
            throw StepFailure.expected("HTTP 204 from DELETE " + http.url(dataPath), r.describe());
        }
        expectError(http.get(dataPath, d), 404, "GET " + http.url(dataPath) + " after DELETE");
    }

    private void expectData(Http.Response r, byte[] bytes, String what) throws StepFailure {
        if (r.status() != 200 || !Arrays.equals(r.body(), bytes)) {
            throw StepFailure.expected("HTTP 200 with " + what + " " + Problems.preview(bytes)
                    + " from GET " + http.url(dataPath), r.describe());
        }
        if (!"application/json".equals(r.mediaType())) {
            throw StepFailure.expected("Content-Type application/json from GET " + http.url(dataPath),
                    "Content-Type " + r.contentType());
        }
    }

    /** SPEC §2: every error is JSON {"code": status, "error": message} with Content-Type application/json. */
    private static void expectError(Http.Response r, int status, String request) throws StepFailure {
        String expected = "HTTP " + status + " with a JSON body {\"code\":" + status + ",\"error\":\"...\"} from " + request;
        if (r.status() != status || !"application/json".equals(r.mediaType())) {
            throw StepFailure.expected(expected, r.describe());
        }
        JsonNode body;
        try {
            body = Json.parse(r.body());
        } catch (IOException e) {
            throw StepFailure.expected(expected, r.describe() + " (not JSON)");
        }
        if (!body.isObject() || !Json.same(body.get("code"), IntNode.valueOf(status)) || !body.path("code").isIntegralNumber()
                || !body.path("error").isTextual() || body.path("error").asText().isBlank()) {
            throw StepFailure.expected(expected, r.describe());
        }
    }

    // --- WebSocket -----------------------------------------------------------------------------

    private void connect(Deadline d) throws Exception {
        URI uri = URI.create(settings.wsUrl() + "/register/" + settings.testId());
        a = Agent.connect(client, uri, authorization, "agent-a", d);
        agents.add(a);
        b = Agent.connect(client, uri, authorization, "agent-b", d);
        agents.add(b);
    }

    /** The original format: the stored bytes come back as ONE binary frame, not enveloped. */
    private void readData(Deadline d) throws Exception {
        a.send("{\"command\":\"read_data\"}", d);
        Replies.expectBinary(a, POSTED, "the posted bytes", d);
    }

    private void connectionCount(Deadline d) throws Exception {
        a.send("{\"command\":\"get_connection_count\",\"id\":\"count-1\"}", d);
        Replies.expectCount(a, TextNode.valueOf("count-1"), 2, d);
    }

    /**
     * update_data has no reply; a later reply on the same connection shows it was applied
     * (SPEC §3: it completes before the next command runs), so the other agent may read it.
     */
    private void updateData(Deadline d) throws Exception {
        a.send("{\"command\":\"update_data\",\"content\":" + UPDATED + "}", d);
        a.send("{\"command\":\"get_connection_count\",\"id\":2}", d);
        Replies.expectCount(a, IntNode.valueOf(2), 2, d);
    }

    private void readDataAfterUpdate(Deadline d) throws Exception {
        b.send("{\"command\":\"read_data\"}", d);
        Replies.expectBinary(b, utf8(UPDATED), "exactly the content of agent-a's update_data", d);
    }

    /** Both agents join; each gets the release with its own id, the same start_at, and waits start_in_ms. */
    private void waitCheckpoint(Deadline d) throws Exception {
        String join = "\"content\":{\"identifier\":\"" + CHECKPOINT + "\",\"target_count\":2,\"timeout_ms\":" + JOIN_TIMEOUT_MS + "}";
        a.send("{\"command\":\"wait_checkpoint\",\"id\":\"ready-a\"," + join + "}", d);
        b.send("{\"command\":\"wait_checkpoint\",\"id\":7," + join + "}", d);
        Replies.Released ra = Replies.expectRelease(a, CHECKPOINT, TextNode.valueOf("ready-a"), d);
        Replies.Released rb = Replies.expectRelease(b, CHECKPOINT, IntNode.valueOf(7), d);
        if (ra.startAt() != rb.startAt()) {
            throw StepFailure.expected("the same start_at for both agents",
                    "agent-a " + ra.startAt() + ", agent-b " + rb.startAt());
        }
        startAt = ra.startAt();
        // Resume together: each agent waits start_in_ms from the moment its own frame arrived.
        long resumeAt = Math.max(ra.resumeAtNanos(), rb.resumeAtNanos());
        long wait = resumeAt - System.nanoTime();
        if (wait > d.remainingNanos()) {
            throw new StepFailure("start_in_ms asks to wait " + TimeUnit.NANOSECONDS.toMillis(wait)
                    + " ms, longer than this step's " + d.budget() + " (is checkpoint.release_lead_ms that large?)");
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** A completed checkpoint stays completed: joining it again is answered at once with the same release. */
    private void lateJoin(Deadline d) throws Exception {
        a.send("{\"command\":\"wait_checkpoint\",\"id\":\"ready-a-again\",\"content\":{\"identifier\":\""
                + CHECKPOINT + "\",\"target_count\":2}}", d);
        Replies.Released r = Replies.expectRelease(a, CHECKPOINT, TextNode.valueOf("ready-a-again"), d);
        if (r.startAt() != startAt || r.startInMs() != 0) {
            throw StepFailure.expected("the same release again (start_at " + startAt
                    + ", start_in_ms 0 since start_at has passed)", Problems.preview(r.frame()));
        }
    }

    private void unknownCommand(Deadline d) throws Exception {
        b.send("{\"command\":\"e2e_no_such_command\",\"id\":\"unknown-1\",\"content\":{}}", d);
        String expected = "an error frame {\"command\":\"error\",\"id\":\"unknown-1\",\"content\":{\"code\":\"unknown_command\","
                + "\"command\":\"e2e_no_such_command\",\"error\":\"...\"}}";
        Frame.Text frame = Replies.expectText(b, expected, d);
        JsonNode content = Replies.envelopeContent(b, frame, expected, "error", TextNode.valueOf("unknown-1"));
        if (!"unknown_command".equals(content.path("code").asText(null))
                || !"e2e_no_such_command".equals(content.path("command").asText(null))
                || !content.path("error").isTextual() || content.path("error").asText().isBlank()) {
            throw StepFailure.expected("agent-b to receive " + expected, frame.describe());
        }
    }

    /** The close command: the server closes with 1000 once earlier replies are out. */
    private void closeCommand(Deadline d) throws Exception {
        for (Agent agent : List.of(a, b)) {
            agent.send("{\"command\":\"close\"}", d);
            Frame frame = agent.next("the server closing the connection with code 1000", d);
            if (!(frame instanceof Frame.Closed closed) || closed.code() != 1000) {
                throw StepFailure.expected(agent.name() + " to see the server close the connection with code 1000",
                        frame.describe());
            }
        }
    }

    private static boolean isJson(byte[] body, String expected) {
        try {
            return Json.same(Json.parse(body), Json.parse(expected));
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Drops every connection still open (after a failure, or if the close step was not reached). */
    @Override
    public void close() {
        agents.forEach(Agent::abort);
        v1.close();
    }
}
