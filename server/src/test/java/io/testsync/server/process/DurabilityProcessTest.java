package io.testsync.server.process;

import io.testsync.testkit.Received;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §5: every acknowledged write survives {@code kill -9}. HTTP writers PUT fresh keys; WebSocket
 * writers send increasing numbers with update_data, each acknowledged by the reply to the command after it.
 */
class DurabilityProcessTest {
    static final int KILLS = 3;

    @Test
    void acknowledgedWritesSurviveKillDashNine(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("TESTSYNC_STORAGE_TYPE", "sqlite", "TESTSYNC_STORAGE_SQLITE_PATH", dir.resolve("data/testsync.db").toString());
        Queue<String> ackedHttpKeys = new ConcurrentLinkedQueue<>();
        Map<String, Integer> ackedWs = new ConcurrentHashMap<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int totalAcked = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            ServerJar server = ServerJar.fromClasspath().mergeOutput(false).env(env).start(dir);
            int acksBefore = ackedHttpKeys.size() + ackedWs.values().stream().mapToInt(Integer::intValue).sum();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger acks = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(6);
            int round = kill;
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String key = "http-" + round + "-" + writer + "-" + n;
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tests/" + key))
                                    .PUT(HttpRequest.BodyPublishers.ofString(key)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ackedHttpKeys.add(key);
                                acks.incrementAndGet();
                            }
                        } catch (Exception killed) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            for (int w = 0; w < 2; w++) {
                String run = "ws-" + w;
                writers.submit(() -> wsWriter(client, server.port(), run, ackedWs, acks, stop));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= 300);
            server.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9 while the writers write
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.SECONDS);
            totalAcked += acks.get();
        }

        try (ServerJar server = ServerJar.fromClasspath().mergeOutput(false).env(env).start(dir)) {
            for (String key : ackedHttpKeys) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tests/" + key)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(key).isEqualTo(200);
                assertThat(r.body()).isEqualTo(key);
            }
            for (var e : ackedWs.entrySet()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tests/" + e.getKey())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(Integer.parseInt(r.body())).as(e.getKey()).isGreaterThanOrEqualTo(e.getValue());
            }
        }
        System.out.printf("durability: %d kills, %d writes acknowledged, 0 lost%n", KILLS, totalAcked);
    }

    /** update_data n, then get_connection_count: its reply acknowledges n (SPEC §5). Numbers only grow, across kills too. */
    private static Void wsWriter(HttpClient client, int port, String run, Map<String, Integer> acked, AtomicInteger acks, AtomicBoolean stop) {
        try (WsClient ws = WsClient.to(URI.create("ws://127.0.0.1:" + port + "/register/" + run)).client(client).timeout(Duration.ofSeconds(5)).connect()) {
            int n = acked.getOrDefault(run, 0);
            while (!stop.get()) {
                n++;
                ws.send("{\"command\":\"update_data\",\"content\":" + n + "}");
                ws.send("{\"command\":\"get_connection_count\"}");
                if (!(ws.poll(Duration.ofSeconds(5)) instanceof Received.Text)) return null;
                acked.put(run, n);
                acks.incrementAndGet();
            }
        } catch (Exception killed) {
            // the server was killed under us: what was acknowledged is recorded
        }
        return null;
    }
}
