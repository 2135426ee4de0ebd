package io.testsync.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testsync.server.config.Config;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §4 through real WebSockets: releases, late joins, timeouts, leaving, and 1000 agents at once. */
class CheckpointTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start(Harness.config().withCheckpoint(new Config.Checkpoint(500, 600_000)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String join(Object id, String identifier, int target, Long timeoutMs) {
        return "{\"command\":\"wait_checkpoint\"" + (id == null ? "" : ",\"id\":" + id)
                + ",\"content\":{\"identifier\":\"" + identifier + "\",\"target_count\":" + target
                + (timeoutMs == null ? "" : ",\"timeout_ms\":" + timeoutMs) + "}}";
    }

    @Test
    void allMembersReceiveOneReleaseWithEveryField() throws Exception {
        String run = "cp-" + UUID.randomUUID();
        try (WsClient a = h.agent(run); WsClient b = h.agent(run); WsClient c = h.agent(run)) {
            a.send(join("\"a1\"", "login-done", 3, 60_000L));
            b.send(join(2, "login-done", 3, null));
            assertThat(a.pending()).isEmpty();
            long before = System.currentTimeMillis();
            c.send(join(null, "login-done", 3, null));
            JsonNode ra = JSON.readTree(a.nextText());
            JsonNode rb = JSON.readTree(b.nextText());
            String rawC = c.nextText();
            JsonNode rc = JSON.readTree(rawC);
            assertThat(ra.get("id").asText()).isEqualTo("a1");
            assertThat(rb.get("id").asInt()).isEqualTo(2);
            assertThat(rc.has("id")).isFalse();
            assertThat(rawC).matches("\\{\"command\":\"wait_checkpoint\",\"content\":\\{\"identifier\":\"login-done\",\"finished\":true,"
                    + "\"reason\":\"complete\",\"joined\":3,\"target\":3,\"start_at\":\\d+,\"start_in_ms\":\\d+,\"server_time_ms\":\\d+}}");
            long startAt = ra.at("/content/start_at").asLong();
            assertThat(rb.at("/content/start_at").asLong()).isEqualTo(startAt);
            assertThat(rc.at("/content/start_at").asLong()).isEqualTo(startAt);
            assertThat(startAt).isBetween(before + 500, System.currentTimeMillis() + 500);
            for (JsonNode r : List.of(ra, rb, rc)) {
                long startIn = r.at("/content/start_in_ms").asLong();
                long serverTime = r.at("/content/server_time_ms").asLong();
                assertThat(startIn).isEqualTo(Math.max(0, startAt - serverTime)).isBetween(0L, 500L);
            }
            // nothing more for anyone
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":3");
        }
    }

    @Test
    void joiningTwiceCountsOnce() throws Exception {
        String run = "cp-" + UUID.randomUUID();
        try (WsClient a = h.agent(run); WsClient b = h.agent(run)) {
            a.send(join(1, "twice", 2, null));
            a.send(join(2, "twice", 2, null));
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":2"); // no release came before this reply
            b.send(join(null, "twice", 2, null));
            assertThat(a.nextText()).contains("\"id\":1,").contains("\"joined\":2");
            assertThat(b.nextText()).contains("\"finished\":true");
        }
    }

    @Test
    void aLateJoinOfACompletedCheckpointGetsTheSameReleaseAtOnce() throws Exception {
        String run = "cp-" + UUID.randomUUID();
        try (WsClient a = h.agent(run)) {
            a.send(join(null, "done", 1, null));
            JsonNode first = JSON.readTree(a.nextText()).get("content");
            try (WsClient late = h.agent(run)) {
                late.send(join(9, "done", 5, null));
                JsonNode again = JSON.readTree(late.nextText());
                assertThat(again.get("id").asInt()).isEqualTo(9);
                JsonNode c = again.get("content");
                assertThat(c.get("finished").asBoolean()).isTrue();
                assertThat(c.get("reason").asText()).isEqualTo("complete");
                assertThat(c.get("joined").asInt()).isEqualTo(1);
                assertThat(c.get("target").asInt()).isEqualTo(1);
                assertThat(c.get("start_at").asLong()).isEqualTo(first.get("start_at").asLong());
                assertThat(c.get("start_in_ms").asLong()).isEqualTo(Math.max(0, c.get("start_at").asLong() - c.get("server_time_ms").asLong()));
            }
        }
    }

    @Test
    void timeoutReleasesWithFinishedFalseAndTheIdentifierIsReusable() throws Exception {
        String run = "cp-" + UUID.randomUUID();
        try (WsClient a = h.agent(run); WsClient b = h.agent(run)) {
            a.send(join(1, "slow", 3, 2_000L));
            // the reply proves a's join ran first (commands of one connection run in order), so its
            // deadline is the checkpoint's; b must join within it
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":2");
            b.send(join(2, "slow", 3, null));
            JsonNode ra = JSON.readTree(a.nextText());
            JsonNode rb = JSON.readTree(b.nextText());
            for (JsonNode r : List.of(ra, rb)) {
                assertThat(r.at("/content/finished").asBoolean()).isFalse();
                assertThat(r.at("/content/reason").asText()).isEqualTo("timeout");
                assertThat(r.at("/content/joined").asInt()).isEqualTo(2);
                assertThat(r.at("/content/target").asInt()).isEqualTo(3);
            }
            a.send(join(3, "slow", 2, 60_000L));
            b.send(join(4, "slow", 2, null));
            assertThat(JSON.readTree(a.nextText()).at("/content/reason").asText()).isEqualTo("complete");
            assertThat(JSON.readTree(b.nextText()).at("/content/joined").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aMemberThatDisconnectsLeavesWithoutReleasingOthers() throws Exception {
        String run = "cp-" + UUID.randomUUID();
        try (WsClient a = h.agent(run); WsClient c = h.agent(run); WsClient d = h.agent(run)) {
            WsClient b = h.agent(run);
            a.send(join(null, "leave", 3, null));
            b.send(join(null, "leave", 3, null));
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":4");
            b.close();
            await().until(() -> h.connections(run) == 3);
            c.send(join(null, "leave", 99, null)); // a and c: 2 of 3, b no longer counts
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":3"); // no release came before this reply
            d.send(join(null, "leave", 1, null)); // the target is the first join's: 3
            for (WsClient x : List.of(a, c, d)) {
                JsonNode r = JSON.readTree(x.nextText()).get("content");
                assertThat(r.get("finished").asBoolean()).isTrue();
                assertThat(r.get("joined").asInt()).isEqualTo(3);
                assertThat(r.get("target").asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void thousandAgentsJoiningAtOnceAreAllReleasedEveryRound() throws Exception {
        int agents = 1000;
        int rounds = 20;
        String run = "cp-1000-" + UUID.randomUUID();
        List<WsClient> fleet = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < agents; i++) fleet.add(h.agent(run));
            long totalNanos = 0;
            for (int round = 0; round < rounds; round++) {
                String frame = join(null, "round-" + round, agents, 60_000L);
                CountDownLatch gate = new CountDownLatch(1);
                List<Future<?>> sends = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int slice = t;
                    sends.add(senders.submit(() -> {
                        gate.await();
                        for (int i = slice; i < agents; i += 8) fleet.get(i).webSocket().sendText(frame, true);
                        return null;
                    }));
                }
                long t0 = System.nanoTime();
                gate.countDown();
                for (Future<?> f : sends) f.get();
                Set<Long> startAts = new HashSet<>();
                for (WsClient a : fleet) {
                    JsonNode r = JSON.readTree(a.nextText());
                    assertThat(r.at("/content/identifier").asText()).isEqualTo("round-" + round);
                    assertThat(r.at("/content/finished").asBoolean()).isTrue();
                    assertThat(r.at("/content/joined").asInt()).isEqualTo(agents);
                    startAts.add(r.at("/content/start_at").asLong());
                }
                totalNanos += System.nanoTime() - t0;
                assertThat(startAts).hasSize(1);
                for (WsClient a : fleet) assertThat(a.pending()).isEmpty();
            }
            System.out.printf("1000 agents x %d rounds: %.1f ms per round (send joins to last release read)%n",
                    rounds, totalNanos / 1e6 / rounds);
        } finally {
            senders.shutdownNow();
            fleet.forEach(WsClient::close);
        }
    }
}
