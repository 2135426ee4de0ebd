package io.testsync.faults;

import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §4 under churn: 50 agents meet at a checkpoint of target 50, round after round, while some of
 * them drop (aborted sockets and polite closes) after joining and come back on a new connection to
 * join again. A dropped member must stop counting: no release may come before the last live agent
 * joined, and every release must say joined == target.
 */
class BarrierChurnTest {
    static final int AGENTS = 50;
    static final int ROUNDS = 40;
    static final String RUN = "churn";
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Random random = new Random(4711);

    @Test
    void droppedMembersNeverCountTowardsARelease(@TempDir Path dir) throws Exception {
        int drops = 0, aborted = 0, releases = 0;
        try (ServerJar server = FaultServer.start(dir, Map.of())) {
            WsClient[] agents = new WsClient[AGENTS];
            for (int i = 0; i < AGENTS; i++) agents[i] = server.agent("/register/" + RUN);
            try (WsClient monitor = server.agent("/register/" + RUN)) {
                for (int round = 0; round < ROUNDS; round++) {
                    String checkpoint = "round-" + round;
                    String[] joinIds = new String[AGENTS];
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < AGENTS; i++) order.add(i);
                    Collections.shuffle(order, random);
                    int last = order.remove(order.size() - 1);

                    for (int slot : order) joinIds[slot] = join(agents[slot], checkpoint, round, slot);

                    // churn: some members drop after joining, the server must notice, they come back and join again
                    List<Integer> dropped = new ArrayList<>(order.subList(0, 1 + random.nextInt(6)));
                    for (int slot : dropped) {
                        if (random.nextBoolean()) {
                            agents[slot].abort();
                            aborted++;
                        } else {
                            agents[slot].close();
                        }
                        drops++;
                    }
                    awaitConnections(monitor, AGENTS - dropped.size() + 1);
                    for (int slot : dropped) {
                        agents[slot] = server.agent("/register/" + RUN);
                        joinIds[slot] = join(agents[slot], checkpoint, round, slot);
                    }
                    awaitConnections(monitor, AGENTS + 1);

                    // a round trip on every connection: any release already decided has reached it by now
                    for (int slot = 0; slot < AGENTS; slot++) {
                        agents[slot].send("{\"command\":\"get_connection_count\",\"id\":\"sync\"}");
                        String reply = agents[slot].nextText();
                        assertThat(reply).as("round %d: agent %d got something before the last member joined", round, slot)
                                .startsWith("{\"command\":\"get_connection_count\",\"id\":\"sync\"");
                    }

                    joinIds[last] = join(agents[last], checkpoint, round, last);
                    for (int slot = 0; slot < AGENTS; slot++) {
                        JsonNode release = JSON.readTree(agents[slot].nextText());
                        assertThat(release.path("command").asText()).isEqualTo("wait_checkpoint");
                        assertThat(release.path("id").asText()).as("the release answers this connection's own join").isEqualTo(joinIds[slot]);
                        JsonNode c = release.path("content");
                        assertThat(c.path("identifier").asText()).isEqualTo(checkpoint);
                        assertThat(c.path("finished").asBoolean()).isTrue();
                        assertThat(c.path("reason").asText()).isEqualTo("complete");
                        assertThat(c.path("joined").asInt()).as("joined").isEqualTo(AGENTS);
                        assertThat(c.path("target").asInt()).as("target").isEqualTo(AGENTS);
                        releases++;
                    }
                }
            } finally {
                for (WsClient a : agents) a.close();
            }
        }
        System.out.printf("faults: barrier churn: %d rounds x %d agents (target %d): %d drops and rejoins (%d aborted sockets, %d closes);"
                        + " %d releases received, every one joined == target == %d, none before the last live agent joined%n",
                ROUNDS, AGENTS, AGENTS, drops, aborted, drops - aborted, releases, AGENTS);
        assertThat(releases).isEqualTo(ROUNDS * AGENTS);
    }

    private static String join(WsClient agent, String checkpoint, int round, int slot) throws Exception {
        String id = "r" + round + "-a" + slot + "-" + WsClient.mark();
        agent.send("{\"command\":\"wait_checkpoint\",\"id\":\"" + id + "\",\"content\":{\"identifier\":\"" + checkpoint
                + "\",\"target_count\":" + AGENTS + ",\"timeout_ms\":120000}}");
        return id;
    }

    /** Asks until the run counts exactly {@code expected} live connections (the monitor included). */
    private static void awaitConnections(WsClient monitor, int expected) {
        await("the run counts " + expected + " connections").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    monitor.send("{\"command\":\"get_connection_count\"}");
                    return JSON.readTree(monitor.nextText()).path("content").path("count").asInt() == expected;
                });
    }
}
