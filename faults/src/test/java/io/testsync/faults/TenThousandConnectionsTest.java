package io.testsync.faults;

import io.testsync.testkit.IdleConnections;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7 at scale: 10,000 WebSocket connections held (100 runs of 100, inside the default limits),
 * every one kept alive through the server's pings, while /health is still answered; its latency is
 * reported, not asserted.
 */
class TenThousandConnectionsTest {
    static final int CONNECTIONS = 10_000;
    static final int RUNS = 100;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void tenThousandConnectionsAreHeldAndHealthIsStillAnswered(@TempDir Path dir) throws Exception {
        try (ServerJar server = FaultServer.start(dir, Map.of()); IdleConnections holder = new IdleConnections()) {
            long[] before = healthLatencies(server, Duration.ofSeconds(2));
            long rssBefore = server.rssKib();

            ExecutorService connectors = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(connectors.submit(() -> {
                    for (int i = first; i < CONNECTIONS; i += 4) holder.connect(server.port(), "/register/held-" + (i % RUNS), server.authorization());
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            connectors.shutdown();
            assertThat(holder.open()).isEqualTo(CONNECTIONS);

            try (WsClient probe = server.agent("/register/held-0")) {
                probe.send("{\"command\":\"get_connection_count\"}");
                assertThat(probe.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":" + (CONNECTIONS / RUNS + 1) + "}}");
            }

            // long enough for the server to ping every connection at least once (every 10 s)
            long[] held = healthLatencies(server, Duration.ofSeconds(12));
            long rssHeld = server.rssKib();
            assertThat(holder.ended()).as("connections the server dropped").isZero();
            assertThat(holder.open()).isEqualTo(CONNECTIONS);
            assertThat(holder.pongs()).as("pings answered: the server pinged every connection").isGreaterThanOrEqualTo(CONNECTIONS);
            assertThat(server.process().isAlive()).isTrue();

            System.out.printf("faults: %d WebSocket connections held over %d runs for 12 s, all pinged and none dropped; server RSS %d MiB (%d MiB before);"
                            + " /health while held: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d requests (before: p50 %.2f ms, p99 %.2f ms)%n",
                    CONNECTIONS, RUNS, rssHeld / 1024, rssBefore / 1024, ms(percentile(held, 50)), ms(percentile(held, 99)),
                    ms(held[held.length - 1]), held.length, ms(percentile(before, 50)), ms(percentile(before, 99)));
        }
    }

    /** GET /health back to back for {@code span}; the sorted latencies in nanoseconds. Every answer must be 200. */
    private long[] healthLatencies(ServerJar server, Duration span) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(server.uri("/health")).timeout(Duration.ofSeconds(10)).build();
        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - t0);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
