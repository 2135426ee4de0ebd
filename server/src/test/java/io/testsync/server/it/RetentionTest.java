package io.testsync.server.it;

import io.testsync.server.config.Config;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention (issue 4, {@code retention.*}) through real sockets on both backends: a run without
 * agents and without activity for max_idle is removed with its data; a run with a live agent never is.
 * Waits watch {@code testsync_retention_removed_runs_total}, never the data itself: a GET is
 * activity and would keep the run it polls.
 */
class RetentionTest {
    static final String REMOVED = "testsync_retention_removed_runs_total";

    @TempDir
    Path dir;

    Config config(String storage, Duration maxIdle, Duration sweepInterval) {
        return Harness.config()
                .withStorage(new Config.Storage(storage, dir.resolve("db/testsync.db"), false))
                .withRetention(new Config.Retention(maxIdle, sweepInterval));
    }

    static double removed(Harness h) throws Exception {
        return MetricsTest.value(h.get("/metrics").body(), REMOVED);
    }

    static HttpResponse<String> put(Harness h, String id, String body) throws Exception {
        return h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {Config.Storage.MEMORY, Config.Storage.SQLITE})
    void idleRunsAreRemovedWithTheirDataAndARunWithALiveAgentIsKept(String storage) throws Exception {
        try (Harness h = Harness.start(config(storage, Duration.ofMillis(200), Duration.ofMillis(50)));
             WsClient live = h.agent("live")) {
            // The live run's data is written first: if the sweep ignored live agents it would go first.
            live.send("{\"command\":\"update_data\",\"content\":{\"keep\":true}}");
            live.send("{\"command\":\"get_connection_count\"}");
            assertThat(live.nextText()).contains("\"count\":1");

            // An agent that wrote, passed a checkpoint (so its run stays held in memory) and left.
            try (WsClient gone = h.agent("gone")) {
                gone.send("{\"command\":\"update_data\",\"content\":\"bye\"}");
                gone.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"done\",\"target_count\":1}}");
                assertThat(gone.nextText()).contains("\"reason\":\"complete\"");
                gone.send("{\"command\":\"close\"}");
                assertThat(gone.awaitClose()).isEqualTo(1000);
            }
            // A run that never had an agent: only its stored data says it exists.
            assertThat(put(h, "http-only", "x").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> removed(h) >= 2);

            assertThat(h.get("/tests/http-only").statusCode()).isEqualTo(404);
            HttpResponse<String> goneData = h.get("/tests/gone");
            assertThat(goneData.statusCode()).isEqualTo(404);
            assertThat(goneData.body()).isEqualTo("{\"code\":404,\"error\":\"test gone has no data\"}");
            assertThat(h.server.registry().find("gone")).isNull();

            HttpResponse<String> kept = h.get("/tests/live");
            assertThat(kept.statusCode()).isEqualTo(200);
            assertThat(kept.body()).isEqualTo("{\"keep\":true}");
            assertThat(h.server.registry().find("live")).isNotNull();
            live.send("{\"command\":\"read_data\"}");
            assertThat(new String(live.nextBinary())).isEqualTo("{\"keep\":true}");

            // Once its agent leaves, the live run goes the same way.
            live.send("{\"command\":\"close\"}");
            assertThat(live.awaitClose()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(20)).until(() -> removed(h) >= 3);
            assertThat(h.get("/tests/live").statusCode()).isEqualTo(404);
            assertThat(h.server.registry().find("live")).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Config.Storage.MEMORY, Config.Storage.SQLITE})
    void readingARunsDataCountsAsActivity(String storage) throws Exception {
        // max_idle far above the gap between two reads (100 ms), so only a stalled machine could fail this
        try (Harness h = Harness.start(config(storage, Duration.ofSeconds(1), Duration.ofMillis(50)))) {
            assertThat(put(h, "read", "r").statusCode()).isEqualTo(200);
            assertThat(put(h, "unread", "u").statusCode()).isEqualTo(200);
            // 2.5 s of reads: its write is then well past max_idle, only the reads keep it
            await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> h.get("/tests/read").statusCode() == 200);
            assertThat(removed(h)).isEqualTo(1);
            assertThat(h.get("/tests/unread").statusCode()).isEqualTo(404);

            await().atMost(Duration.ofSeconds(20)).until(() -> removed(h) >= 2);
            assertThat(h.get("/tests/read").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void oneSweepRunsAtStartupOverTheStoredData() throws Exception {
        Config once = config(Config.Storage.SQLITE, Duration.ofHours(1), Duration.ofHours(1));
        try (Harness h = Harness.start(once)) {
            assertThat(put(h, "stale", "s").statusCode()).isEqualTo(200);
            assertThat(put(h, "recent", "r").statusCode()).isEqualTo(200);
        }
        // As if the server had been down for two hours since "stale" was written.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/testsync.db"));
             PreparedStatement age = db.prepareStatement("UPDATE data SET updated_at = updated_at - ? WHERE test_id = 'stale'")) {
            age.setLong(1, Duration.ofHours(2).toMillis());
            assertThat(age.executeUpdate()).isEqualTo(1);
        }
        try (Harness h = Harness.start(once)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> removed(h) >= 1);
            assertThat(h.get("/tests/stale").statusCode()).isEqualTo(404);
            assertThat(h.get("/tests/recent").body()).isEqualTo("r");
            assertThat(removed(h)).isEqualTo(1);
        }
    }
}
