package io.testsync.faults;

import io.testsync.testkit.Received;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §5 under fire: the SQLite server is killed with -9 again and again while HTTP and WebSocket
 * writers write, and every write it acknowledged is there after the last restart. HTTP writers
 * POST/PUT fresh keys (acknowledged by the 200); WebSocket writers send update_data n, acknowledged
 * by the reply to the get_connection_count sent after it.
 */
class KillNineTest {
    static final int KILLS = 10;
    static final int HTTP_WRITERS = 4;
    static final int WS_WRITERS = 3;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void noAcknowledgedWriteIsLostAcrossRepeatedKillDashNine(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("TESTSYNC_STORAGE_TYPE", "sqlite", "TESTSYNC_STORAGE_SQLITE_PATH", dir.resolve("db/testsync.db").toString());
        Queue<String> ackedKeys = new ConcurrentLinkedQueue<>();
        Map<String, Integer> ackedWs = new ConcurrentHashMap<>();
        AtomicInteger wsAcks = new AtomicInteger();
        for (int kill = 0; kill < KILLS; kill++) {
            ServerJar server = FaultServer.start(dir, env);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger acks = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(HTTP_WRITERS + WS_WRITERS);
            int cycle = kill;
            for (int w = 0; w < HTTP_WRITERS; w++) {
                int writer = w;
                writers.submit(() -> httpWriter(server, cycle, writer, ackedKeys, acks, stop));
            }
            for (int w = 0; w < WS_WRITERS; w++) {
                String run = "kill-ws-" + w;
                writers.submit(() -> wsWriter(server, run, ackedWs, wsAcks, acks, stop));
            }
            // kill at a different point each time, while every writer is busy
            int killAt = ThreadLocalRandom.current().nextInt(150, 450);
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= killAt);
            server.kill9();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        int lost = 0;
        try (ServerJar server = FaultServer.start(dir, env)) {
            for (String key : ackedKeys) {
                HttpResponse<String> r = client.send(get(server, key), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().equals(key)) lost++;
            }
            for (var e : ackedWs.entrySet()) {
                HttpResponse<String> r = client.send(get(server, e.getKey()), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || Integer.parseInt(r.body()) < e.getValue()) lost++;
            }
        }
        int total = ackedKeys.size() + wsAcks.get();
        System.out.printf("faults: kill -9 x%d under %d HTTP and %d WebSocket writers: %d writes acknowledged (HTTP %d, WebSocket %d), %d lost%n",
                KILLS, HTTP_WRITERS, WS_WRITERS, total, ackedKeys.size(), wsAcks.get(), lost);
        assertThat(lost).isZero();
        assertThat(ackedKeys).hasSizeGreaterThan(KILLS * 50);
        assertThat(wsAcks.get()).isGreaterThan(KILLS * 10);
    }

    private HttpRequest get(ServerJar server, String key) {
        return HttpRequest.newBuilder(server.uri("/tests/" + key)).header("Authorization", server.authorization())
                .timeout(Duration.ofSeconds(10)).build();
    }

    /** POSTs (even n) and PUTs (odd n) fresh keys until the server dies under it. */
    private Void httpWriter(ServerJar server, int cycle, int writer, Queue<String> acked, AtomicInteger acks, AtomicBoolean stop) {
        for (int n = 0; !stop.get(); n++) {
            String key = "kill-" + cycle + "-" + writer + "-" + n;
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(key);
            HttpRequest.Builder req = HttpRequest.newBuilder(server.uri("/tests/" + key)).header("Authorization", server.authorization())
                    .timeout(Duration.ofSeconds(5));
            try {
                HttpResponse<String> r = client.send((n % 2 == 0 ? req.POST(body) : req.PUT(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acked.add(key);
                    acks.incrementAndGet();
                }
            } catch (Exception killed) {
                return null;
            }
        }
        return null;
    }

    /** update_data n then get_connection_count: the count's reply acknowledges n. Numbers only grow, across kills too. */
    private Void wsWriter(ServerJar server, String run, Map<String, Integer> acked, AtomicInteger wsAcks, AtomicInteger acks, AtomicBoolean stop) {
        try (WsClient agent = server.agent("/register/" + run)) {
            int n = acked.getOrDefault(run, 0);
            while (!stop.get()) {
                n++;
                agent.send("{\"command\":\"update_data\",\"content\":" + n + "}");
                agent.send("{\"command\":\"get_connection_count\"}");
                if (!(agent.poll(Duration.ofSeconds(5)) instanceof Received.Text)) return null;
                acked.put(run, n);
                wsAcks.incrementAndGet();
                acks.incrementAndGet();
            }
        } catch (Exception killed) {
            // the server died under us: what was acknowledged is recorded
        }
        return null;
    }
}
