package io.testsync.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testsync.server.TestSyncServer;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management API, limits.max_runs, the run gauges and retention over a whole cluster (SPEC §10, §11):
 * three nodes on one real Redis, agents on each, asked from another node than the one holding them.
 */
class ClusterAdminTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String run() {
        return "cla-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static WsClient agent(Harness h, int node, String testId, String name) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + h.servers.get(node - 1).wsPort() + "/register/" + testId);
        return WsClient.to(uri).client(h.http).authorization(Harness.basic(Harness.USER, Harness.PASS)).agent(name).connect();
    }

    static HttpResponse<String> call(Harness h, int node, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + h.servers.get(node - 1).httpPort() + path);
        return h.sendText(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Authorization", Harness.basic(Harness.USER, Harness.PASS))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static JsonNode detailWhen(Harness h, int node, String id, java.util.function.Predicate<JsonNode> ready) {
        JsonNode[] last = new JsonNode[1];
        await().until(() -> {
            HttpResponse<String> r = call(h, node, "GET", "/api/v1/runs/" + id);
            last[0] = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            return last[0] != null && ready.test(last[0]);
        });
        return last[0];
    }

    static Harness cluster(Config config) throws Exception {
        return Harness.cluster(config, Tuning.SPEC, 3, Config.Cluster.DEFAULT_NODE_LEASE_MS);
    }

    @Test
    void everyNodeListsEveryConnectionOfTheRunWithItsNode() throws Exception {
        try (Harness h = cluster(Harness.config())) {
            String id = run();
            try (WsClient a = agent(h, 1, id, "alice"); WsClient b = agent(h, 2, id, "bob"); WsClient c = agent(h, 3, id, "carol")) {
                for (int node = 1; node <= 3; node++) {
                    JsonNode d = detailWhen(h, node, id, n -> n.path("agents").size() == 3);
                    Map<String, String> nodeOf = new HashMap<>();
                    d.get("agents").forEach(x -> nodeOf.put(x.get("agent").asText(), x.get("node").asText()));
                    assertThat(nodeOf).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "node-1", "bob", "node-2", "carol", "node-3"));
                    d.get("agents").forEach(x -> assertThat(x.get("remote").asText()).startsWith("127.0.0.1:"));
                    JsonNode row = runRow(call(h, node, "GET", "/api/v1/runs"), id);
                    assertThat(row.get("agents").asInt()).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void anOperatorOnNode1RemovesAConnectionHeldByNode3() throws Exception {
        try (Harness h = cluster(Harness.config())) {
            String id = run();
            try (WsClient a = agent(h, 1, id, "alice"); WsClient c = agent(h, 3, id, "carol")) {
                JsonNode d = detailWhen(h, 1, id, n -> n.path("agents").size() == 2);
                String carol = null;
                for (JsonNode x : d.get("agents")) if (x.get("node").asText().equals("node-3")) carol = x.get("connection").asText();
                assertThat(carol).isNotNull();
                HttpResponse<String> r = call(h, 1, "DELETE", "/api/v1/runs/" + id + "/agents/" + carol);
                assertThat(r.statusCode()).isEqualTo(204);
                assertThat(c.awaitClose()).isEqualTo(4001);
                assertThat(a.closeCode()).isNotDone();
                JsonNode after = detailWhen(h, 1, id, n -> n.path("agents").size() == 1);
                assertThat(after.get("agents").get(0).get("node").asText()).isEqualTo("node-1");
                assertThat(h.connections(id)).isEqualTo(1);
            }
        }
    }

    @Test
    void anOperatorOnNode2ReleasesACheckpointWhoseMembersAreOnNodes1And3() throws Exception {
        try (Harness h = cluster(Harness.config())) {
            String id = run();
            try (WsClient a = agent(h, 1, id, "alice"); WsClient c = agent(h, 3, id, "carol")) {
                String join = "{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"stuck\",\"target_count\":5}}";
                a.send(join);
                c.send(join);
                detailWhen(h, 2, id, n -> n.path("checkpoints").path(0).path("joined").asInt() == 2);
                HttpResponse<String> r = call(h, 2, "POST", "/api/v1/runs/" + id + "/checkpoints/stuck/release");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"released\":2}");
                for (WsClient agent : List.of(a, c)) {
                    JsonNode content = JSON.readTree(agent.nextText()).get("content");
                    assertThat(content.get("reason").asText()).isEqualTo("operator_released");
                    assertThat(content.get("finished").asBoolean()).isFalse();
                }
                assertThat(call(h, 2, "POST", "/api/v1/runs/" + id + "/checkpoints/stuck/release").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void theLivePageOfNode1FollowsARunWhoseOnlyAgentIsOnNode3() throws Exception {
        try (Harness h = cluster(Harness.config())) {
            URI events = URI.create("http://127.0.0.1:" + h.servers.get(0).httpPort() + "/api/v1/events");
            HttpResponse<java.io.InputStream> res = h.http.send(HttpRequest.newBuilder(events)
                    .header("Authorization", Harness.basic(Harness.USER, Harness.PASS)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            java.util.concurrent.BlockingQueue<String> stream = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> LivePageTest.readEvents(res.body(), stream), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(stream.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("event: ready\ndata: {}");
            String id = run();
            try (WsClient c = agent(h, 3, id, "carol")) {
                String event = LivePageTest.nextMentioning(stream, id);
                assertThat(event).contains("{\"id\":\"" + id + "\",\"agents\":1,\"checkpoints_waiting\":0,\"last_activity_ms\":");
                c.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"w\",\"target_count\":2}}");
                assertThat(LivePageTest.nextMentioning(stream, id)).contains("\"checkpoints_waiting\":1");
            }
            // the last agent leaves a checkpoint nobody waits at any more: the run is gone
            assertThat(LivePageTest.nextMentioning(stream, id)).endsWith("\"removed\":[\"" + id + "\"]}");
            res.body().close();
        }
    }

    @Test
    void maxRunsCountsTheRunsOfEveryNode() throws Exception {
        var limits = Config.Limits.defaults();
        Config config = Harness.config().withLimits(new Config.Limits(limits.maxDataBytes(), 2, limits.maxConnectionsPerRun(),
                limits.maxConnections(), limits.maxCheckpointsPerRun(), limits.maxQueuedBytesPerConnection()));
        try (Harness h = cluster(config)) {
            String first = run();
            String second = run();
            try (WsClient a = agent(h, 1, first, "a"); WsClient b = agent(h, 1, second, "b")) {
                RawHttp.Response refused;
                try (RawWebSocket raw = RawWebSocket.open(h.servers.get(1).wsPort())) {
                    refused = raw.upgrade("/register/" + run(), "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
                }
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("limits.max_runs is 2");
                try (WsClient again = agent(h, 2, first, "a2")) { // a run the cluster holds takes agents on any node
                    again.send("{\"command\":\"get_connection_count\"}");
                    assertThat(again.nextText()).contains("\"count\":2");
                }
                assertThat(h.redis.call("ZCARD", "testsync:runs")).isEqualTo(2L);
            }
        }
    }

    @Test
    void theRunGaugesOfEveryNodeCountTheWholeCluster() throws Exception {
        try (Harness h = cluster(Harness.config())) {
            String id = run();
            try (WsClient a = agent(h, 1, id, "a"); WsClient b = agent(h, 3, id, "b")) {
                a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"w\",\"target_count\":3}}");
                await().until(() -> h.joined(id, "w") == 1);
                await().untilAsserted(() -> {
                    String scrape = call(h, 2, "GET", "/metrics").body();
                    assertThat(value(scrape, "testsync_runs")).isEqualTo(1);
                    assertThat(value(scrape, "testsync_connections")).isEqualTo(2);
                    assertThat(value(scrape, "testsync_checkpoints_waiting")).isEqualTo(1);
                });
            }
        }
    }

    @Test
    void retentionRemovesEveryKeyOfAnIdleRunAndOnlyTheNodeHoldingTheLockSweeps() throws Exception {
        Config config = Harness.config().withRetention(new Config.Retention(Duration.ofMillis(300), Duration.ofMillis(100)));
        try (Harness h = cluster(config)) {
            // another sweeper holds the lock: nobody may sweep
            h.redis.call("SET", "testsync:retention:lock", "someone-else", "PX", "60000");
            String id = run();
            String prefix = "testsync:{" + id + "}:";
            try (WsClient a = agent(h, 1, id, "a"); WsClient b = agent(h, 2, id, "b")) {
                a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"done\",\"target_count\":1}}");
                a.nextText();
                a.send("{\"command\":\"counter\",\"id\":1,\"content\":{\"name\":\"n\",\"add\":1}}");
                a.nextText();
                b.send("{\"command\":\"lock\",\"id\":2,\"content\":{\"name\":\"l\"}}");
                b.nextText();
                b.send("{\"command\":\"publish\",\"id\":3,\"content\":{\"topic\":\"t\",\"payload\":1}}");
                b.nextText();
            }
            await().until(() -> h.connections(id) == 0);
            assertThat(keys(h, prefix + "*")).isNotEmpty();
            long idleSince = System.currentTimeMillis();
            awaitEveryNodeSkipped(h);
            long sweeps = sum(h, "testsync_cluster_retention_sweeps_total");
            // every node tried again since the run went idle for longer than max_idle, and left it to the lock's holder
            await().until(() -> System.currentTimeMillis() - idleSince > 300);
            awaitEveryNodeSkipped(h);
            assertThat(keys(h, prefix + "*")).isNotEmpty();
            assertThat(sum(h, "testsync_cluster_retention_sweeps_total")).isEqualTo(sweeps);

            h.redis.call("DEL", "testsync:retention:lock");
            await().until(() -> keys(h, prefix + "*").isEmpty());
            assertThat(h.redis.call("ZSCORE", "testsync:runs", id)).isNull();
            assertThat(call(h, 3, "GET", "/api/v1/runs/" + id).statusCode()).isEqualTo(404);
            assertThat(sum(h, "testsync_cluster_retention_removed_runs_total")).isEqualTo(1);
            assertThat(sum(h, "testsync_cluster_retention_sweeps_total")).isGreaterThan(sweeps);
        }
    }

    @Test
    void retentionKeepsTheDataOfARunWhoseAgentIsOnAnotherNode() throws Exception {
        Config config = Harness.config().withRetention(new Config.Retention(Duration.ofMillis(300), Duration.ofMillis(100)));
        try (Harness h = cluster(config)) {
            h.redis.call("SET", "testsync:retention:lock", "someone-else", "PX", "60000");
            String id = run();
            assertThat(call(h, 1, "GET", "/api/v1/runs/" + id).statusCode()).isEqualTo(404);
            h.post("/tests/" + id, "kept", "text/plain");
            try (WsClient a = agent(h, 2, id, "a")) {
                await().until(() -> h.connections(id) == 1);
                long since = System.currentTimeMillis();
                await().until(() -> System.currentTimeMillis() - since > 300);
                awaitEveryNodeSkipped(h); // every node's retention ran since the data went idle
                assertThat(h.get("/tests/" + id).body()).isEqualTo("kept");
            }
        }
    }

    /** Every node skips two more sweeps from now: the second began after this call, so it saw the lock as it is now. */
    private static void awaitEveryNodeSkipped(Harness h) throws Exception {
        Map<Integer, Long> before = new HashMap<>();
        for (int node = 1; node <= 3; node++) before.put(node, counter(h, node, "testsync_cluster_retention_skipped_total"));
        await().until(() -> {
            for (int node = 1; node <= 3; node++) {
                if (counter(h, node, "testsync_cluster_retention_skipped_total") < before.get(node) + 2) return false;
            }
            return true;
        });
    }

    static long sum(Harness h, String name) throws Exception {
        long n = 0;
        for (int node = 1; node <= 3; node++) n += counter(h, node, name);
        return n;
    }

    static List<?> keys(Harness h, String pattern) {
        return (List<?>) h.redis.call("KEYS", pattern);
    }

    static JsonNode runRow(HttpResponse<String> runs, String id) throws Exception {
        assertThat(runs.statusCode()).isEqualTo(200);
        for (JsonNode row : JSON.readTree(runs.body()).get("runs")) if (row.get("id").asText().equals(id)) return row;
        throw new AssertionError("run " + id + " is not listed: " + runs.body());
    }

    static long counter(Harness h, int node, String name) throws Exception {
        return (long) value(call(h, node, "GET", "/metrics").body(), name);
    }

    static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
        if (!m.find()) throw new AssertionError("no " + name + " in the scrape");
        return Double.parseDouble(m.group(1));
    }

}
