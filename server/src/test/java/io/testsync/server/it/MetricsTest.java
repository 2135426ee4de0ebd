package io.testsync.server.it;

import io.testsync.server.config.Config;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} counts what happened, through real sockets: the names and labels documented in
 * README, values that move with the traffic, and no label value taken from what a client sent.
 */
class MetricsTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String fresh() {
        return "m-" + UUID.randomUUID();
    }

    static String scrape() throws Exception {
        HttpResponse<String> r = h.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series, given exactly as it is written (name and labels), or 0 when absent. */
    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return 0;
    }

    static double now(String series) throws Exception {
        return value(scrape(), series);
    }

    @Test
    void httpRequestsAreCountedByRouteAndStatus() throws Exception {
        String ok = "testsync_http_requests_total{route=\"tests\",status=\"200\"}";
        String notFound = "testsync_http_requests_total{route=\"tests\",status=\"404\"}";
        String health = "testsync_http_requests_total{route=\"health\",status=\"200\"}";
        String other = "testsync_http_requests_total{route=\"other\",status=\"404\"}";
        String unauthorized = "testsync_http_requests_total{route=\"tests\",status=\"401\"}";
        String before = scrape();
        String id = fresh();

        assertThat(h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode()).isEqualTo(200);
        assertThat(h.get("/tests/" + id).statusCode()).isEqualTo(200);
        assertThat(h.get("/tests/" + fresh()).statusCode()).isEqualTo(404);
        assertThat(h.sendText(HttpRequest.newBuilder(h.http("/health")).GET().build()).statusCode()).isEqualTo(200);
        assertThat(h.get("/secret-path-from-a-client").statusCode()).isEqualTo(404);
        assertThat(h.sendText(HttpRequest.newBuilder(h.http("/tests/" + id)).GET().build()).statusCode()).isEqualTo(401);

        String after = scrape();
        assertThat(value(after, ok) - value(before, ok)).isEqualTo(2);
        assertThat(value(after, notFound) - value(before, notFound)).isEqualTo(1);
        assertThat(value(after, health) - value(before, health)).isEqualTo(1);
        assertThat(value(after, other) - value(before, other)).isEqualTo(1);
        assertThat(value(after, unauthorized) - value(before, unauthorized)).isEqualTo(1);
        assertThat(after).doesNotContain("secret-path-from-a-client").doesNotContain(id);
        // a scrape is counted once its answer is written, so the first scrape shows in the second
        assertThat(value(after, "testsync_http_requests_total{route=\"metrics\",status=\"200\"}")).isPositive();
    }

    @Test
    void webSocketCommandsAreCountedByNameAndUpgradesAs101() throws Exception {
        String readData = "testsync_ws_commands_total{command=\"read_data\"}";
        String updateData = "testsync_ws_commands_total{command=\"update_data\"}";
        String count = "testsync_ws_commands_total{command=\"get_connection_count\"}";
        String unknown = "testsync_ws_commands_total{command=\"unknown\"}";
        String invalid = "testsync_ws_commands_total{command=\"invalid\"}";
        String close = "testsync_ws_commands_total{command=\"close\"}";
        String upgraded = "testsync_http_requests_total{route=\"register\",status=\"101\"}";
        String before = scrape();

        try (WsClient a = h.agent(fresh())) {
            a.send("{\"command\":\"update_data\",\"content\":{\"k\":1}}");
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextBinary()).isNotEmpty();
            a.send("{\"command\":\"get_connection_count\"}");
            a.nextText();
            a.send("{\"command\":\"drop_tables\\\"} 1\"}");
            assertThat(a.nextText()).contains("\"code\":\"unknown_command\"");
            a.send("not json");
            assertThat(a.nextText()).contains("\"code\":\"invalid_message\"");
            a.send("{\"command\":\"close\"}");
            assertThat(a.awaitClose()).isEqualTo(1000);
        }

        String after = scrape();
        assertThat(value(after, readData) - value(before, readData)).isEqualTo(1);
        assertThat(value(after, updateData) - value(before, updateData)).isEqualTo(1);
        assertThat(value(after, count) - value(before, count)).isEqualTo(1);
        assertThat(value(after, unknown) - value(before, unknown)).isEqualTo(1);
        assertThat(value(after, invalid) - value(before, invalid)).isEqualTo(1);
        assertThat(value(after, close) - value(before, close)).isEqualTo(1);
        assertThat(value(after, upgraded) - value(before, upgraded)).isEqualTo(1);
        assertThat(after).doesNotContain("drop_tables");
    }

    @Test
    void gaugesFollowRunsConnectionsAndWaitingCheckpointsAndReleasesAreCountedByReason() throws Exception {
        String complete = "testsync_checkpoint_releases_total{reason=\"complete\"}";
        String timeout = "testsync_checkpoint_releases_total{reason=\"timeout\"}";
        String before = scrape();
        String run = fresh();
        try (WsClient a = h.agent(run); WsClient b = h.agent(run)) {
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"both\",\"target_count\":2}}");
            await().untilAsserted(() -> {
                String during = scrape();
                assertThat(value(during, "testsync_checkpoints_waiting")).isGreaterThanOrEqualTo(1);
                assertThat(value(during, "testsync_connections")).isGreaterThanOrEqualTo(2);
                assertThat(value(during, "testsync_runs")).isGreaterThanOrEqualTo(1);
            });
            b.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"both\",\"target_count\":2}}");
            assertThat(a.nextText()).contains("\"reason\":\"complete\"");
            assertThat(b.nextText()).contains("\"reason\":\"complete\"");
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"alone\",\"target_count\":2,\"timeout_ms\":50}}");
            assertThat(a.nextText()).contains("\"reason\":\"timeout\"");
        }
        String after = scrape();
        assertThat(value(after, complete) - value(before, complete)).isEqualTo(1);
        assertThat(value(after, timeout) - value(before, timeout)).isEqualTo(1);
        await().untilAsserted(() -> assertThat(h.server.registry().find(run)).satisfiesAnyOf(
                r -> assertThat(r).isNull(), r -> assertThat(r.connectionCount()).isZero()));
    }

    @Test
    void storageWritesAreTimedAndTheJvmIsReported() throws Exception {
        String puts = "testsync_store_write_seconds_count{op=\"put\"}";
        String creates = "testsync_store_write_seconds_count{op=\"create\"}";
        String before = scrape();
        String id = fresh();
        h.post("/tests/" + id, "a", "text/plain");
        h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString("b")).build());
        String after = scrape();
        assertThat(value(after, puts) - value(before, puts)).isEqualTo(1);
        assertThat(value(after, creates) - value(before, creates)).isEqualTo(1);
        assertThat(after).contains("testsync_store_write_seconds_bucket{op=\"put\",le=\"0.001\"}",
                "testsync_store_write_failures_total{op=\"put\"} 0.0",
                "testsync_retention_removed_runs_total ",
                "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "process_uptime_seconds ");
    }

    @Test
    void sqliteCommitsAndTheWritesTheyHeldAreCounted(@TempDir Path dir) throws Exception {
        String commits = "testsync_store_sqlite_commits_total";
        String writes = "testsync_store_sqlite_writes_total";
        assertThat(scrape()).as("memory storage has no commits").doesNotContain(commits, writes);
        Config sqlite = Harness.config().withStorage(new Config.Storage(Config.Storage.SQLITE, dir.resolve("t.db"), false));
        try (Harness s = Harness.start(sqlite)) {
            String before = s.get("/metrics").body();
            String id = fresh();
            s.post("/tests/" + id, "a", "text/plain");
            s.sendText(s.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString("b")).build());
            String after = s.get("/metrics").body();
            // one after the other: each acknowledged write was a commit of its own
            assertThat(value(after, commits) - value(before, commits)).isEqualTo(2);
            assertThat(value(after, writes) - value(before, writes)).isEqualTo(2);
        }
    }

    @Test
    void toolkitCommandsAreCountedAndLocksAndTopicsHaveGauges() throws Exception {
        String run = fresh();
        String lockCommands = "testsync_ws_commands_total{command=\"lock\"}";
        double locksBefore = now(lockCommands);
        try (WsClient a = h.v1(run, "a"); WsClient b = h.v1(run, "b")) {
            a.send("{\"command\":\"lock\",\"content\":{\"name\":\"l\"},\"id\":1}");
            assertThat(a.nextText()).endsWith("\"fence\":1}}");
            b.send("{\"command\":\"lock\",\"content\":{\"name\":\"l\"},\"id\":2}");
            a.send("{\"command\":\"publish\",\"content\":{\"topic\":\"t\",\"payload\":1},\"id\":3}");
            assertThat(a.nextText()).endsWith("\"seq\":1}}");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> value(scrape(), "testsync_locks_waiters") >= 1);
            String scrape = scrape();
            assertThat(value(scrape, lockCommands)).isEqualTo(locksBefore + 2);
            assertThat(value(scrape, "testsync_ws_commands_total{command=\"publish\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "testsync_locks_held")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "testsync_topics")).isGreaterThanOrEqualTo(1);
            for (String name : new String[] {"signal_entry", "counter", "subscribe", "unsubscribe", "unlock"}) {
                assertThat(scrape).contains("testsync_ws_commands_total{command=\"" + name + "\"}");
            }
        }
    }
}
