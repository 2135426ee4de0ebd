package io.testsync.server.it;

import io.testsync.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §10: the five routes of the management API through a real server and real agents. */
class AdminApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String run() {
        return "adm-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static HttpResponse<String> call(String method, String path) throws Exception {
        return h.sendText(h.request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static String join(String identifier, int target) {
        return "{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"" + identifier + "\",\"target_count\":" + target + "}}";
    }

    /** The run's detail once {@code ready} accepts it: the server counts joins asynchronously to our sends. */
    static JsonNode detailWhen(String id, java.util.function.Predicate<JsonNode> ready) {
        JsonNode[] last = new JsonNode[1];
        await().until(() -> {
            HttpResponse<String> r = call("GET", "/api/v1/runs/" + id);
            last[0] = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            return last[0] != null && ready.test(last[0]);
        });
        return last[0];
    }

    @Test
    void runDetailHasExactlyTheDocumentedShape() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send(join("login", 3));
            h.post("/tests/" + id, "{\"x\":1}", "application/json");
            JsonNode d = detailWhen(id, n -> n.path("checkpoints").size() == 1 && n.path("agents").size() == 2 && !n.path("data").isNull());
            assertThat(fields(d)).containsExactly("id", "agents", "checkpoints", "counters", "states", "topics", "locks", "data");
            assertThat(d.get("id").asText()).isEqualTo(id);
            JsonNode agent = d.get("agents").get(0);
            assertThat(fields(agent)).containsExactly("connection", "agent", "remote", "protocol", "connected_at_ms", "node");
            assertThat(agent.get("remote").asText()).startsWith("127.0.0.1:");
            assertThat(agent.get("connected_at_ms").asLong()).isPositive();
            JsonNode cp = d.get("checkpoints").get(0);
            assertThat(fields(cp)).containsExactly("identifier", "state", "target", "joined", "joined_agents", "deadline_ms", "start_at");
            assertThat(cp.get("identifier").asText()).isEqualTo("login");
            assertThat(cp.get("state").asText()).isEqualTo("waiting");
            assertThat(cp.get("target").asInt()).isEqualTo(3);
            assertThat(cp.get("joined").asInt()).isEqualTo(1);
            assertThat(cp.get("joined_agents")).hasSize(1);
            assertThat(cp.get("deadline_ms").asLong()).isGreaterThan(System.currentTimeMillis());
            assertThat(cp.get("start_at").isNull()).isTrue();
            assertThat(d.get("data").toString()).isEqualTo("{\"bytes\":7,\"content_type\":\"application/json\"}");
        }
    }

    @Test
    void completedCheckpointShowsItsStartAndNoDeadline() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id)) {
            a.send(join("done", 1));
            String release = a.nextText();
            long startAt = JSON.readTree(release).get("content").get("start_at").asLong();
            JsonNode cp = detailWhen(id, n -> n.path("checkpoints").size() == 1).get("checkpoints").get(0);
            assertThat(cp.get("state").asText()).isEqualTo("complete");
            assertThat(cp.get("joined").asInt()).isEqualTo(1);
            assertThat(cp.get("deadline_ms").isNull()).isTrue();
            assertThat(cp.get("start_at").asLong()).isEqualTo(startAt);
        }
    }

    @Test
    void runsListTheHeldRunsMostRecentlyActiveFirst() throws Exception {
        String older = run();
        String newer = run();
        try (WsClient a = h.agent(older)) {
            a.send(join("w", 2));
            detailWhen(older, n -> n.path("checkpoints").size() == 1);
            try (WsClient b = h.agent(newer)) {
                await().until(() -> call("GET", "/api/v1/runs/" + newer).statusCode() == 200);
                HttpResponse<String> r = call("GET", "/api/v1/runs");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
                JsonNode runs = JSON.readTree(r.body()).get("runs");
                List<String> ids = new ArrayList<>();
                runs.forEach(n -> ids.add(n.get("id").asText()));
                assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older)).isNotNegative();
                JsonNode row = runs.get(ids.indexOf(older));
                assertThat(fields(row)).containsExactly("id", "agents", "checkpoints_waiting", "last_activity_ms");
                assertThat(row.get("agents").asInt()).isEqualTo(1);
                assertThat(row.get("checkpoints_waiting").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void operatorReleaseSendsOperatorReleasedAndRemovesTheCheckpoint() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send(join("stuck", 5));
            b.send(join("stuck", 5));
            detailWhen(id, n -> n.path("checkpoints").path(0).path("joined").asInt() == 2);
            HttpResponse<String> r = call("POST", "/api/v1/runs/" + id + "/checkpoints/stuck/release");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"released\":2}");
            for (WsClient agent : List.of(a, b)) {
                JsonNode c = JSON.readTree(agent.nextText()).get("content");
                assertThat(c.get("identifier").asText()).isEqualTo("stuck");
                assertThat(c.get("finished").asBoolean()).isFalse();
                assertThat(c.get("reason").asText()).isEqualTo("operator_released");
                assertThat(c.get("joined").asInt()).isEqualTo(2);
            }
            assertThat(JSON.readTree(call("GET", "/api/v1/runs/" + id).body()).get("checkpoints")).isEmpty();
            HttpResponse<String> again = call("POST", "/api/v1/runs/" + id + "/checkpoints/stuck/release");
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).isEqualTo("{\"code\":404,\"error\":\"run '" + id + "' has no waiting checkpoint 'stuck'"
                    + " (it never existed, completed, timed out or was released already)\"}");
        }
    }

    @Test
    void checkpointIdentifiersArePercentDecoded() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id)) {
            a.send(join("step 1/2", 2));
            detailWhen(id, n -> n.path("checkpoints").size() == 1);
            HttpResponse<String> r = call("POST", "/api/v1/runs/" + id + "/checkpoints/step%201%2F2/release");
            assertThat(r.body()).isEqualTo("{\"released\":1}");
        }
    }

    @Test
    void kickClosesTheConnectionWith4001() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            JsonNode d = detailWhen(id, n -> n.path("agents").size() == 2);
            String connection = d.get("agents").get(0).get("connection").asText();
            HttpResponse<String> r = call("DELETE", "/api/v1/runs/" + id + "/agents/" + connection);
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            await().until(() -> a.closeCode().isDone() || b.closeCode().isDone());
            WsClient gone = a.closeCode().isDone() ? a : b;
            WsClient stays = gone == a ? b : a;
            assertThat(gone.awaitClose()).isEqualTo(4001);
            assertThat(stays.closeCode()).isNotDone();
            detailWhen(id, n -> n.path("agents").size() == 1);
            HttpResponse<String> again = call("DELETE", "/api/v1/runs/" + id + "/agents/" + connection);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).contains("has no connection '" + connection + "'");
        }
    }

    @Test
    void deleteClosesEveryAgentAndRemovesStateAndData() throws Exception {
        String id = run();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send(join("w", 3));
            h.post("/tests/" + id, "data", "text/plain");
            detailWhen(id, n -> n.path("checkpoints").size() == 1 && n.path("agents").size() == 2);
            assertThat(call("DELETE", "/api/v1/runs/" + id).statusCode()).isEqualTo(204);
            assertThat(a.awaitClose()).isEqualTo(4001);
            assertThat(b.awaitClose()).isEqualTo(4001);
            assertThat(h.get("/tests/" + id).statusCode()).isEqualTo(404);
            await().until(() -> call("GET", "/api/v1/runs/" + id).statusCode() == 404);
            HttpResponse<String> again = call("DELETE", "/api/v1/runs/" + id);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).isEqualTo("{\"code\":404,\"error\":\"no run '" + id + "' is held on this server\"}");
        }
    }

    @Test
    void aRunWithOnlyDataHasADetail() throws Exception {
        String id = run();
        h.post("/tests/" + id, "abc", "text/plain");
        HttpResponse<String> r = call("GET", "/api/v1/runs/" + id);
        assertThat(r.body()).isEqualTo("{\"id\":\"" + id + "\",\"agents\":[],\"checkpoints\":[],\"counters\":{},\"states\":{},"
                + "\"topics\":[],\"locks\":[],\"data\":{\"bytes\":3,\"content_type\":\"text/plain\"}}");
    }

    @Test
    void badInputGetsSpecificErrors() throws Exception {
        HttpResponse<String> unknown = call("GET", "/api/v1/runs/nope-" + UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("it has no agents, checkpoints or data on this server");

        HttpResponse<String> badId = call("GET", "/api/v1/runs/bad%20id");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).isEqualTo("{\"code\":400,\"error\":\"test ID may contain only A-Z a-z 0-9 . _ - (1-128 characters)\"}");

        HttpResponse<String> badConnection = call("DELETE", "/api/v1/runs/r1/agents/no%20such");
        assertThat(badConnection.statusCode()).isEqualTo(400);
        assertThat(badConnection.body()).contains("'no such' is not a connection id");

        HttpResponse<String> noRun = call("DELETE", "/api/v1/runs/none-" + UUID.randomUUID().toString().substring(0, 8) + "/agents/c1");
        assertThat(noRun.statusCode()).isEqualTo(404);
        assertThat(noRun.body()).contains("is held on this server");

        HttpResponse<String> wrongMethod = call("PUT", "/api/v1/runs");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
        assertThat(wrongMethod.body()).isEqualTo("{\"code\":405,\"error\":\"method PUT is not allowed on /api/v1/runs; allowed: GET\"}");
        assertThat(call("GET", "/api/v1/runs/x/checkpoints/y/release").headers().firstValue("Allow")).contains("POST");
        assertThat(call("POST", "/api/v1/runs/x").headers().firstValue("Allow")).contains("GET, DELETE");

        HttpResponse<String> noRoute = call("GET", "/api/v2/runs");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(noRoute.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void aChangingRequestFromAnotherOriginIsRefused() throws Exception {
        String id = run();
        h.post("/tests/" + id, "keep", "text/plain");
        HttpResponse<String> r = h.sendText(h.request("/api/v1/runs/" + id).header("Origin", "https://evil.example")
                .DELETE().build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(h.get("/tests/" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNameTheRouteNeverTheClientsPath() throws Exception {
        String secret = "label-" + UUID.randomUUID();
        call("GET", "/api/v1/runs/" + secret);
        call("DELETE", "/api/v1/runs/" + secret + "/agents/c" + secret);
        call("GET", "/ui/" + secret);
        String metrics = h.get("/metrics").body();
        assertThat(metrics).doesNotContain(secret);
        assertThat(metrics).containsPattern("testsync_http_requests_total\\{route=\"admin\",status=\"404\"} [1-9]");
        assertThat(metrics).containsPattern("testsync_http_requests_total\\{route=\"ui\",status=\"404\"} [1-9]");
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
