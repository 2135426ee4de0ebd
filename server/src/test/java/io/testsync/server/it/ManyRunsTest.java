package io.testsync.server.it;

import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §10 at the size of limits.max_runs: the runs list of 10,000 held runs answers whole. Each run
 * is held by a completed checkpoint its one agent left behind, which is how a finished run waits for
 * retention. (How fast it answers is the benchmark's business, not this test's.)
 */
class ManyRunsTest {
    static final int RUNS = 10_000;
    static final int CLIENTS = 8;

    @Test
    void listsTenThousandRuns() throws Exception {
        try (Harness h = Harness.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    for (int i = first; i < RUNS; i += CLIENTS) leaveACompletedCheckpoint(h, "many-" + i);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(5, TimeUnit.MINUTES);
            pool.shutdown();
            await().atMost(30, TimeUnit.SECONDS).until(() -> h.server.registry().runCount() == RUNS
                    && h.server.registry().connectionCount() == 0);

            HttpResponse<String> r = h.get("/api/v1/runs");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode runs = new ObjectMapper().readTree(r.body()).get("runs");
            assertThat(runs).hasSize(RUNS);
            Set<String> ids = new HashSet<>();
            long previous = Long.MAX_VALUE;
            for (JsonNode run : runs) {
                ids.add(run.get("id").asText());
                assertThat(run.get("agents").asInt()).isZero();
                assertThat(run.get("checkpoints_waiting").asInt()).isZero();
                long at = run.get("last_activity_ms").asLong();
                assertThat(at).isLessThanOrEqualTo(previous);
                previous = at;
            }
            assertThat(ids).hasSize(RUNS).contains("many-0", "many-9999");
        }
    }

    private static void leaveACompletedCheckpoint(Harness h, String id) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(h.server.wsPort())) {
            RawHttp.Response up = ws.upgrade("/register/" + id, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
            if (up.status() != 101) throw new AssertionError("upgrade of " + id + " answered " + up.status() + " " + up.body());
            ws.sendText("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"done\",\"target_count\":1}}");
            RawWebSocket.Frame release = ws.readFrame();
            while (release.opcode() != 0x1) release = ws.readFrame(); // a ping of the heartbeat may come first
            if (!release.text().contains("\"reason\":\"complete\"")) throw new AssertionError(release.text());
            // the server closes first, so the TIME_WAIT of 10,000 sockets stays on its side, not on our ports
            ws.sendText("{\"command\":\"close\"}");
            ws.awaitCloseCode();
        }
    }
}
