package io.testsync.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Storage faults (issue 4, item 5) through real sockets: while the SQLite file refuses writes, HTTP
 * writes answer 500 and {@code update_data} answers {@code internal_error}, reads and every other
 * route keep working, {@code /readyz} says 503, each component logs the fault once, and writes work
 * again once the file takes them.
 *
 * <p>The fault is real, not a hook: another connection holds the database's write lock (as a backup
 * tool or an operator's {@code sqlite3} shell in a transaction would). The server's writer waits its
 * busy timeout (5 s) and fails the batch, exactly as it fails one on a full disk or a read-only file
 * (the store's own tests cover the full disk, with a page cap).
 */
class StorageFaultTest {
    static final String PUT_FAILED = "{\"code\":500,\"error\":\"storage failed; the request was not applied\"}";
    static final String NOT_READY = "{\"code\":503,\"error\":\"not ready: storage is not answering; the server log says why\"}";

    @TempDir
    Path dir;

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    static HttpResponse<String> put(Harness h, String id, String body) throws Exception {
        return h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> anonymous(Harness h, String path) throws Exception {
        return h.sendText(HttpRequest.newBuilder(h.http(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    @Test
    void writesFailCleanlyWhileTheFileIsLockedAndWorkAgainOnceItIsReleased() throws Exception {
        Path db = dir.resolve("testsync.db");
        Config config = Harness.config().withStorage(new Config.Storage(Config.Storage.SQLITE, db, false));
        // Each failing batch waits out the busy timeout (and a reconnect may wait again): beyond SPEC's 10 s
        // request bound a write would be answered 503 instead of the 500 this test is about.
        Tuning patient = new Tuning(60_000, Tuning.SPEC.pingIntervalMs(), Tuning.SPEC.pingTimeoutMs());
        try (Harness h = Harness.start(config, patient); WsClient agent = h.agent("agent-run")) {
            assertThat(put(h, "before", "kept").statusCode()).isEqualTo(200);
            assertThat(anonymous(h, "/readyz").statusCode()).isEqualTo(200);

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN IMMEDIATE"); // holds the write lock until rolled back

                // An HTTP write and an agent's write at the same time: both fail, each in its own words.
                CompletableFuture<HttpResponse<String>> httpPut = h.http.sendAsync(
                        h.request("/tests/during").PUT(HttpRequest.BodyPublishers.ofString("lost")).build(),
                        HttpResponse.BodyHandlers.ofString());
                agent.send("{\"command\":\"update_data\",\"id\":\"u1\",\"content\":{\"lost\":true}}");
                agent.send("{\"command\":\"get_connection_count\",\"id\":\"after\"}");

                HttpResponse<String> failed = httpPut.get();
                assertThat(failed.statusCode()).isEqualTo(500);
                assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(failed.body()).isEqualTo(PUT_FAILED);
                assertThat(agent.nextText()).isEqualTo("{\"command\":\"error\",\"id\":\"u1\",\"content\":{\"code\":\"internal_error\","
                        + "\"command\":\"update_data\",\"error\":\"storage failed; the command was not applied\"}}");
                // the connection stays open and in order: the next command is answered after the failure
                assertThat(agent.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":\"after\",\"content\":{\"count\":1}}");

                // Reads, health and the rest of the server keep working; readiness says storage does not answer.
                HttpResponse<String> read = h.get("/tests/before");
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).isEqualTo("kept");

                // Another write after that successful read: answered the same, and not logged again
                // (a read succeeding is no recovery of writes).
                HttpResponse<String> again = h.sendText(h.request("/tests/during").POST(HttpRequest.BodyPublishers.ofString("lost")).build());
                assertThat(again.statusCode()).isEqualTo(500);
                assertThat(again.body()).isEqualTo(PUT_FAILED);
                assertThat(anonymous(h, "/health").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> anonymous(h, "/readyz").statusCode() == 503);
                HttpResponse<String> notReady = anonymous(h, "/readyz");
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(notReady.body()).isEqualTo(NOT_READY);

                assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).as("no recovery announced during the outage")
                        .noneMatch(m -> m.equals("storage writes succeed again") || m.matches("writes to .* succeed again"));
                lock.execute("ROLLBACK");
            }

            // Recovered: ready again, and writes over both protocols succeed.
            await().atMost(Duration.ofSeconds(20)).until(() -> anonymous(h, "/readyz").statusCode() == 200);
            assertThat(anonymous(h, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
            assertThat(h.get("/tests/during").statusCode()).as("the failed write was not applied").isEqualTo(404);
            assertThat(put(h, "during", "applied").statusCode()).isEqualTo(200);
            assertThat(h.get("/tests/during").body()).isEqualTo("applied");
            agent.send("{\"command\":\"update_data\",\"content\":{\"stored\":true}}");
            agent.send("{\"command\":\"read_data\"}");
            assertThat(new String(agent.nextBinary())).isEqualTo("{\"stored\":true}");
            assertThat(h.get("/tests/agent-run").body()).isEqualTo("{\"stored\":true}");

            String metrics = h.get("/metrics").body();
            assertThat(MetricsTest.value(metrics, "testsync_http_requests_total{route=\"tests\",status=\"500\"}")).isEqualTo(2);
            assertThat(MetricsTest.value(metrics, "testsync_store_write_failures_total{op=\"put\"}")).isEqualTo(2);
            assertThat(MetricsTest.value(metrics, "testsync_store_write_failures_total{op=\"create\"}")).isEqualTo(1);
            assertThat(MetricsTest.value(metrics, "testsync_http_requests_total{route=\"readyz\",status=\"503\"}")).isPositive();
        }

        // Logged once per component for the whole outage, with the cause; recovery is logged too.
        Map<String, List<String>> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .collect(Collectors.groupingBy(ILoggingEvent::getLoggerName,
                        Collectors.mapping(ILoggingEvent::getFormattedMessage, Collectors.toList())));
        assertThat(errors.values()).allSatisfy(messages -> assertThat(messages).hasSize(1));
        assertThat(String.join("\n", errors.getOrDefault("io.testsync.server.store.SqliteWriter", List.of())))
                .contains("database is locked").contains("writes fail until the cause is fixed");
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).isEqualTo("storage writes succeed again"));
        assertThat(logs.list).filteredOn(e -> e.getLoggerName().endsWith("Readiness") && e.getLevel() == Level.WARN).hasSize(1);
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("lost"));
    }
}
