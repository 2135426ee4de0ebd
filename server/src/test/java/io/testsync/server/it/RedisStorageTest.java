package io.testsync.server.it;

import io.testsync.server.config.RedisUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.testsync.server.config.Config;
import io.testsync.testkit.RedisProcess;
import io.testsync.testkit.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.type: "redis"} through the real server and real sockets (SPEC §11): data lives in a
 * real redis-server; when Redis is killed, storage commands answer 500 / {@code internal_error},
 * connections stay open, {@code /readyz} is 503; once it is restarted everything works again
 * without restarting the server, and acknowledged data (AOF {@code appendfsync always}) is all there.
 */
class RedisStorageTest {
    @TempDir
    Path dir;

    RedisProcess redis;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() {
        redis = RedisProcess.durable(dir.resolve("redis"));
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        redis.close();
    }

    Config config() {
        return Harness.config().withStorage(Config.Storage.redis(RedisUrl.parse(redis.url())));
    }

    @Test
    void dataWrittenOverHttpAndWebSocketIsInRedisAndSeenByAnotherServer() throws Exception {
        try (Harness h = Harness.start(config()); WsClient agent = h.agent("ws-run")) {
            assertThat(StorageFaultTest.put(h, "http-run", "{\"from\":\"http\"}").statusCode()).isEqualTo(200);
            agent.send("{\"command\":\"update_data\",\"content\":{\"from\":\"ws\"}}");
            agent.send("{\"command\":\"read_data\"}");
            assertThat(new String(agent.nextBinary())).isEqualTo("{\"from\":\"ws\"}");
            assertThat(redis.call("HGET", "testsync:{http-run}:data", "bytes")).isEqualTo("{\"from\":\"http\"}");
            assertThat(redis.call("HGET", "testsync:{ws-run}:data", "bytes")).isEqualTo("{\"from\":\"ws\"}");
        }
        try (Harness other = Harness.start(config())) {
            HttpResponse<String> read = other.get("/tests/ws-run");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("{\"from\":\"ws\"}");
            assertThat(StorageFaultTest.anonymous(other, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
        }
    }

    @Test
    void whileRedisIsDownStorageAnswersFailCleanlyAndAllWorksAgainOnceItIsBack() throws Exception {
        try (Harness h = Harness.start(config()); WsClient agent = h.agent("agent-run")) {
            assertThat(StorageFaultTest.put(h, "before", "kept").statusCode()).isEqualTo(200);
            assertThat(StorageFaultTest.anonymous(h, "/readyz").statusCode()).isEqualTo(200);

            redis.kill();

            HttpResponse<String> failed = StorageFaultTest.put(h, "during", "lost");
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo(StorageFaultTest.PUT_FAILED);
            HttpResponse<String> read = h.get("/tests/before");
            assertThat(read.statusCode()).isEqualTo(500);
            assertThat(read.body()).isEqualTo("{\"code\":500,\"error\":\"storage failed; the request was not applied\"}");
            agent.send("{\"command\":\"update_data\",\"id\":\"u1\",\"content\":{\"lost\":true}}");
            agent.send("{\"command\":\"get_connection_count\",\"id\":\"after\"}");
            assertThat(agent.nextText()).isEqualTo("{\"command\":\"error\",\"id\":\"u1\",\"content\":{\"code\":\"internal_error\","
                    + "\"command\":\"update_data\",\"error\":\"storage failed; the command was not applied\"}}");
            // the connection stays open and in order; what needs no storage still works
            assertThat(agent.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":\"after\",\"content\":{\"count\":1}}");
            assertThat(StorageFaultTest.anonymous(h, "/health").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> StorageFaultTest.anonymous(h, "/readyz").statusCode() == 503);
            assertThat(StorageFaultTest.anonymous(h, "/readyz").body()).isEqualTo(StorageFaultTest.NOT_READY);

            redis.restart(); // same port and directory; the server is not touched

            await().atMost(Duration.ofSeconds(20)).until(() -> StorageFaultTest.anonymous(h, "/readyz").statusCode() == 200);
            assertThat(h.get("/tests/before").body()).as("acknowledged before the kill -9").isEqualTo("kept");
            assertThat(h.get("/tests/during").statusCode()).as("the failed write was not applied").isEqualTo(404);
            assertThat(StorageFaultTest.put(h, "during", "applied").statusCode()).isEqualTo(200);
            assertThat(h.get("/tests/during").body()).isEqualTo("applied");
            agent.send("{\"command\":\"update_data\",\"content\":{\"stored\":true}}");
            agent.send("{\"command\":\"read_data\"}");
            assertThat(new String(agent.nextBinary())).isEqualTo("{\"stored\":true}");
        }

        // The outage is logged with its cause once per component and kind (reads, writes), not once per
        // request; so is the recovery. Redis down fails reads too, unlike a locked SQLite file.
        Map<String, List<String>> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .collect(Collectors.groupingBy(ILoggingEvent::getLoggerName,
                        Collectors.mapping(ILoggingEvent::getFormattedMessage, Collectors.toList())));
        assertThat(errors).isNotEmpty();
        assertThat(errors.values()).allSatisfy(messages -> {
            assertThat(messages).filteredOn(m -> m.startsWith("storage writes failed")).hasSizeLessThanOrEqualTo(1);
            assertThat(messages).filteredOn(m -> m.startsWith("storage reads failed")).hasSizeLessThanOrEqualTo(1);
            assertThat(messages).allMatch(m -> m.contains("Redis at " + redis.url() + " failed"));
        });
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("storage writes succeed again", "storage reads succeed again");
    }

    static HttpResponse<String> get(Harness h, String path) throws Exception {
        return h.sendText(h.request(path).GET().build());
    }

    static HttpRequest.BodyPublisher text(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }
}
