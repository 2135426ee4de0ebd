package io.testsync.server.it;

import io.testsync.server.TestSyncServer;
import io.testsync.server.cluster.RedisCoordinator;
import io.testsync.server.cluster.TcpCut;
import io.testsync.server.config.Config;
import io.testsync.server.config.RedisUrl;
import io.testsync.testkit.RedisProcess;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §11 reliability: a node whose Redis connections (pub/sub included) are cut while another node
 * releases a checkpoint, grants a lock and publishes on a topic for its members delivers each of them
 * exactly once when it is connected again: it reads the run's event log after the last event it had.
 */
class ClusterMissedEventsTest {
    @TempDir
    Path dir;

    private RedisProcess redis;
    private TcpCut cut;
    private final List<TestSyncServer> nodes = new ArrayList<>();
    private final List<WsClient> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(WsClient::abort);
        nodes.forEach(TestSyncServer::stop);
        if (cut != null) cut.close();
        if (redis != null) redis.close();
    }

    private static Config node(String url, String id) {
        return Config.defaults().withPorts(0, 0)
                .withStorage(Config.Storage.redis(RedisUrl.parse(url)))
                .withCluster(new Config.Cluster(RedisUrl.parse(url), id, 5_000));
    }

    private WsClient agent(TestSyncServer node, String run, String name) throws Exception {
        WsClient a = WsClient.to(URI.create("ws://127.0.0.1:" + node.wsPort() + "/register/" + run))
                .subprotocols("testsync.v1").agent(name).connect();
        agents.add(a);
        assertThat(a.nextText()).startsWith("{\"command\":\"welcome\"");
        return a;
    }

    private static boolean eventsConnected(TestSyncServer node) {
        return ((RedisCoordinator) node.coordinator()).eventsConnected();
    }

    /** The next frame is the answer to a get_connection_count asked now: nothing else came before it. */
    private static void nothingElse(WsClient a, String id) throws Exception {
        a.send("{\"command\":\"get_connection_count\",\"id\":\"" + id + "\"}");
        assertThat(a.nextText()).startsWith("{\"command\":\"get_connection_count\",\"id\":\"" + id + "\"");
    }

    @Test
    void releaseGrantAndMessageMissedDuringACutArriveOnceAfterIt() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"));
        cut = TcpCut.to(redis.port());
        TestSyncServer behindCut = TestSyncServer.start(node("redis://127.0.0.1:" + cut.port() + "/0", "node-cut"));
        nodes.add(behindCut);
        TestSyncServer other = TestSyncServer.start(node(redis.url(), "node-other"));
        nodes.add(other);
        String run = "missed";
        WsClient waiter = agent(behindCut, run, "waiter");
        WsClient locker = agent(behindCut, run, "locker");
        WsClient reader = agent(behindCut, run, "reader");
        WsClient b = agent(other, run, "b");

        b.send("{\"command\":\"lock\",\"content\":{\"name\":\"L\"},\"id\":1}");
        assertThat(b.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":1,\"content\":{\"name\":\"L\",\"acquired\":true,\"fence\":1}}");
        locker.send("{\"command\":\"lock\",\"content\":{\"name\":\"L\",\"timeout_ms\":0},\"id\":2}");
        reader.send("{\"command\":\"subscribe\",\"content\":{\"topic\":\"T\"},\"id\":\"s\"}");
        assertThat(reader.nextText()).isEqualTo("{\"command\":\"subscribe\",\"id\":\"s\",\"content\":{\"topic\":\"T\",\"subscribed\":true}}");
        waiter.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"cp\",\"target_count\":2},\"id\":3}");
        nothingElse(locker, "c1"); // its lock request was decided (waiting) before this answer
        nothingElse(waiter, "c2");

        cut.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> !eventsConnected(behindCut));
        b.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"cp\",\"target_count\":2},\"id\":4}");
        assertThat(b.nextText()).contains("\"identifier\":\"cp\",\"finished\":true,\"reason\":\"complete\",\"joined\":2");
        b.send("{\"command\":\"publish\",\"content\":{\"topic\":\"T\",\"payload\":7},\"id\":5}");
        assertThat(b.nextText()).isEqualTo("{\"command\":\"publish\",\"id\":5,\"content\":{\"topic\":\"T\",\"seq\":1}}");
        b.send("{\"command\":\"unlock\",\"content\":{\"name\":\"L\"},\"id\":6}");
        assertThat(b.nextText()).isEqualTo("{\"command\":\"unlock\",\"id\":6,\"content\":{\"name\":\"L\",\"released\":true}}");
        cut.restore();

        assertThat(waiter.nextText()).contains("\"identifier\":\"cp\",\"finished\":true,\"reason\":\"complete\",\"joined\":2");
        assertThat(locker.nextText()).isEqualTo("{\"command\":\"lock\",\"id\":2,\"content\":{\"name\":\"L\",\"acquired\":true,\"fence\":2}}");
        assertThat(reader.nextText()).matches("\\{\"command\":\"message\",\"id\":\"s\",\"content\":\\{\"topic\":\"T\",\"seq\":1,\"payload\":7,\"published_at_ms\":\\d+}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsConnected(behindCut));
        // once each: live deliveries after the reconnection still arrive, and no second copy before them
        b.send("{\"command\":\"publish\",\"content\":{\"topic\":\"T\",\"payload\":8},\"id\":7}");
        assertThat(b.nextText()).isEqualTo("{\"command\":\"publish\",\"id\":7,\"content\":{\"topic\":\"T\",\"seq\":2}}");
        assertThat(reader.nextText()).matches("\\{\"command\":\"message\",\"id\":\"s\",\"content\":\\{\"topic\":\"T\",\"seq\":2,\"payload\":8,\"published_at_ms\":\\d+}}");
        nothingElse(waiter, "c3");
        nothingElse(locker, "c4");
        nothingElse(reader, "c5");
    }
}
