package io.testsync.server.process;

import io.testsync.server.config.RedisUrl;
import io.testsync.testkit.ServerJar;
import io.testsync.server.TestSyncServer;
import io.testsync.server.config.Config;
import io.testsync.testkit.RedisProcess;
import io.testsync.server.cluster.LocalRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §11 node failure: three nodes on one real Redis, the third a real server process that is killed
 * with SIGKILL. Within lease + 1 s a surviving node removes its connections: the count drops, a
 * fail_on_leave checkpoint fails with participant_lost naming the lost agent, the dead holder's lock goes
 * to the next waiter, and a checkpoint without fail_on_leave stops counting the dead and releases no one
 * early.
 */
class ClusterNodeDeathProcessTest {
    private static final long LEASE_MS = 1_000;

    @TempDir
    Path dir;

    private RedisProcess redis;
    private LocalRedisCluster redisCluster;
    private String url;
    private final List<TestSyncServer> nodes = new ArrayList<>();
    private ServerJar dying;
    private final List<Ws> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Ws s : sockets) s.socket.abort();
        if (dying != null) dying.close();
        nodes.forEach(TestSyncServer::stop);
        if (redis != null) redis.close();
        if (redisCluster != null) redisCluster.close();
    }

    private Config node(int i) {
        return Config.defaults().withPorts(0, 0)
                .withStorage(new Config.Storage(Config.Storage.REDIS, dir.resolve("unused.db"), false, RedisUrl.parse(url)))
                .withCluster(new Config.Cluster(RedisUrl.parse(url), "node-" + i, LEASE_MS));
    }

    @Test
    void aKilledNodesConnectionsLeaveWithinTheLeaseAndNobodyIsReleasedEarlyOrTwice() throws Exception {
        redis = RedisProcess.start(dir.resolve("redis"));
        url = redis.url();
        killedNode(null);
    }

    /**
     * The same on a Redis Cluster of three Redis nodes, the dead node holding connections in two runs
     * whose keys live on different Redis nodes: its cleanup evicts it run by run, each in its run's slot.
     */
    @Test
    void onARedisClusterAKilledNodeIsCleanedUpInEveryRunWhereverItsSlotIs() throws Exception {
        redisCluster = LocalRedisCluster.start(dir.resolve("redis-cluster"));
        url = redisCluster.url();
        String other = "other-0";
        for (int i = 1; redisCluster.nodeOf("{" + other + "}").port() == redisCluster.nodeOf("{death}").port(); i++) other = "other-" + i;
        killedNode(other);
    }

    /** The scenario; with {@code otherRun}, the dying node also holds one of that run's two connections. */
    private void killedNode(String otherRun) throws Exception {
        nodes.add(TestSyncServer.start(node(1)));
        nodes.add(TestSyncServer.start(node(2)));
        dying = ServerJar.fromClasspath().mergeOutput(false).env(Map.of(
                "TESTSYNC_STORAGE_TYPE", "redis", "TESTSYNC_STORAGE_REDIS_URL", url,
                "TESTSYNC_CLUSTER_REDIS_URL", url, "TESTSYNC_CLUSTER_NODE_ID", "node-3",
                "TESTSYNC_CLUSTER_NODE_LEASE_MS", Long.toString(LEASE_MS))).start(dir);
        String run = "death";
        Ws s1 = open(nodes.get(0).wsPort(), run, "s1");
        Ws s2 = open(nodes.get(1).wsPort(), run, "s2");
        Ws s3 = open(nodes.get(0).wsPort(), run, "s3");
        Ws s4 = open(nodes.get(1).wsPort(), run, "s4");
        Ws d1 = open(dying.port(), run, "d1");
        Ws d2 = open(dying.port(), run, "d2");
        assertThat(count(s1)).isEqualTo(6);
        Ws o1 = otherRun == null ? null : open(nodes.get(1).wsPort(), otherRun, "o1");
        if (otherRun != null) open(dying.port(), otherRun, "o2");
        if (o1 != null) assertThat(count(o1)).isEqualTo(2);

        d1.send("{\"command\":\"lock\",\"content\":{\"name\":\"L\"},\"id\":1}");
        assertThat(d1.next()).isEqualTo("{\"command\":\"lock\",\"id\":1,\"content\":{\"name\":\"L\",\"acquired\":true,\"fence\":1}}");
        s1.send("{\"command\":\"lock\",\"content\":{\"name\":\"L\",\"timeout_ms\":0},\"id\":2}");
        for (Ws w : List.of(s1, s2, s3, s4, d1)) w.send(join("fol", 99, true));
        for (Ws w : List.of(d1, d2, s2)) w.send(join("plain", 5, false));
        assertThat(count(s2)).isEqualTo(6); // every command above was decided before this reply (one node's order)
        for (Ws w : List.of(s1, s3, s4, d1, d2)) assertThat(count(w)).isEqualTo(6);

        long killedAt = System.nanoTime();
        dying.kill9();

        // participant_lost reaches every surviving member of "fol", naming the lost agent
        for (Ws w : List.of(s1, s2, s3, s4)) {
            String release = w.next(Duration.ofMillis(LEASE_MS + 1_000 + 500)); // lease + 1 s, and the frame's trip
            assertThat(release).contains("\"identifier\":\"fol\",\"finished\":false,\"reason\":\"participant_lost\",\"joined\":4,\"target\":99")
                    .contains("\"lost\":[\"d1\"]");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofMillis(LEASE_MS + 1_000 + 500));
        // the dead holder's lock went to the waiter, with the next fence
        assertThat(s1.next()).isEqualTo("{\"command\":\"lock\",\"id\":2,\"content\":{\"name\":\"L\",\"acquired\":true,\"fence\":2}}");
        assertThat(count(s3)).isEqualTo(4);

        // "plain" no longer counts d1 and d2: three more joins make 4 of 5, a fifth agent completes it
        for (Ws w : List.of(s1, s3, s4)) w.send(join("plain", 5, false));
        assertThat(count(s4)).isEqualTo(4);
        for (Ws w : List.of(s1, s2, s3, s4)) assertThat(w.frames.poll()).as("nothing released early").isNull();
        Ws s5 = open(nodes.get(0).wsPort(), run, "s5");
        s5.send(join("plain", 5, false));
        for (Ws w : List.of(s1, s2, s3, s4, s5)) {
            assertThat(w.next()).contains("\"identifier\":\"plain\",\"finished\":true,\"reason\":\"complete\",\"joined\":5,\"target\":5");
        }
        for (Ws w : List.of(s1, s2, s3, s4, s5)) assertThat(count(w)).as("released once").isEqualTo(5);
        if (o1 != null) {
            org.awaitility.Awaitility.await("the other run's count drops").atMost(Duration.ofSeconds(5)).until(() -> count(o1) == 1);
        }
    }

    private static String join(String identifier, int target, boolean failOnLeave) {
        return "{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"" + identifier + "\",\"target_count\":" + target
                + ",\"fail_on_leave\":" + failOnLeave + "}}";
    }

    /** get_connection_count, asked and answered; the frames before the answer must be none. */
    private static int count(Ws w) throws Exception {
        w.send("{\"command\":\"get_connection_count\"}");
        String reply = w.next();
        assertThat(reply).startsWith("{\"command\":\"get_connection_count\"");
        return Integer.parseInt(reply.replaceAll(".*\"count\":(\\d+).*", "$1"));
    }

    private Ws open(int port, String run, String agent) throws Exception {
        Ws ws = new Ws();
        ws.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("testsync.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/register/" + run + "?agent=" + agent), ws)
                .get(10, TimeUnit.SECONDS);
        assertThat(ws.next()).startsWith("{\"command\":\"welcome\"");
        sockets.add(ws);
        return ws;
    }

    /** A v1 agent: every text frame it receives, in order. */
    private static final class Ws implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String next() throws InterruptedException {
            return next(Duration.ofSeconds(10));
        }

        String next(Duration within) throws InterruptedException {
            String frame = frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) throw new AssertionError("no frame within " + within.toMillis() + " ms");
            return frame;
        }
    }
}
