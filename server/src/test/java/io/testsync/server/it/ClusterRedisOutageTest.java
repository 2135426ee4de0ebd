package io.testsync.server.it;

import io.testsync.testkit.WsClient;
import io.testsync.server.Tuning;
import io.testsync.testkit.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §11, Redis down: two nodes on one Redis (AOF, fsync always) that is killed and started again.
 * Meanwhile /readyz answers 503 and commands fail cleanly with internal_error; afterwards, without a
 * restart of the nodes, /readyz is 200 again, acknowledged state is still there, and deliveries across
 * nodes work again (the pub/sub connection came back).
 */
class ClusterRedisOutageTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void commandsFailCleanlyWhileRedisIsDownAndWorkAgainWhenItIsBack() throws Exception {
        RedisProcess redis = RedisProcess.durable(dir.resolve("redis"));
        h = Harness.cluster(Harness.config(), Tuning.SPEC, 2, 5_000, redis);
        try (WsClient a = h.v1("outage", "a"); WsClient b = h.v1("outage", "b")) {
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"n\",\"add\":5},\"id\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":1,\"content\":{\"name\":\"n\",\"value\":5}}");

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> h.get("/readyz").statusCode() == 503);
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"n\",\"add\":1},\"id\":2}");
            assertThat(a.nextText()).isEqualTo(ToolkitTest.error(2, "internal_error", "counter",
                    "coordination failed; the command was not applied"));

            redis.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> h.get("/readyz").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.eventsConnected());
            b.send("{\"command\":\"counter\",\"content\":{\"name\":\"n\",\"add\":1},\"id\":3}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":3,\"content\":{\"name\":\"n\",\"value\":6}}");
            b.send("{\"command\":\"get_connection_count\",\"id\":4}");
            assertThat(b.nextText()).contains("\"count\":2");
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"after\",\"target_count\":2},\"id\":5}");
            b.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"after\",\"target_count\":2},\"id\":6}");
            assertThat(a.nextText()).contains("\"identifier\":\"after\",\"finished\":true,\"reason\":\"complete\",\"joined\":2");
            assertThat(b.nextText()).contains("\"identifier\":\"after\",\"finished\":true,\"reason\":\"complete\",\"joined\":2");
        }
    }
}
