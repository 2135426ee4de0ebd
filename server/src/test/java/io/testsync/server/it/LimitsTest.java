package io.testsync.server.it;

import io.testsync.server.config.Config;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7: every limit has its own, specific rejection, and a refused client leaves everyone else
 * served. Small limits so each is reached with a handful of connections.
 */
class LimitsTest {
    static final int MAX_DATA = 1000;
    static final int MAX_RUNS = 4;
    static final int PER_RUN = 2;
    static final int MAX_CONNECTIONS = 6;
    static final int MAX_CHECKPOINTS = 2;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start(Harness.config().withLimits(
                new Config.Limits(MAX_DATA, MAX_RUNS, PER_RUN, MAX_CONNECTIONS, MAX_CHECKPOINTS, 16 << 20)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String fresh() {
        return "lim-" + UUID.randomUUID();
    }

    static RawHttp.Response upgrade(String testId) throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            return raw.upgrade("/register/" + testId, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
        }
    }

    /** Every run and connection of a test is gone before the next starts, so each test has the whole budget. */
    static void awaitEmpty() {
        await().until(() -> h.server.registry().connectionCount() == 0 && h.server.registry().runCount() == 0);
    }

    static void closeAll(List<WsClient> agents) throws Exception {
        for (WsClient a : agents) a.close();
        awaitEmpty();
    }

    @Test
    void connectionsPerRunAre503BeforeUpgradeNamingTheLimit() throws Exception {
        String run = fresh();
        List<WsClient> agents = new ArrayList<>();
        try {
            for (int i = 0; i < PER_RUN; i++) agents.add(h.agent(run));
            RawHttp.Response refused = upgrade(run);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().get("content-type")).isEqualTo("application/json");
            assertThat(refused.body()).isEqualTo("{\"code\":503,\"error\":\"limit reached: limits.max_connections_per_run is "
                    + PER_RUN + "; try again later or raise it\"}");
            // another run is still admitted, and a place that frees up is taken again
            try (WsClient other = h.agent(fresh())) {
                other.send("{\"command\":\"get_connection_count\"}");
                assertThat(other.nextText()).contains("\"count\":1");
            }
            agents.remove(0).close();
            await().until(() -> h.server.registry().find(run).connectionCount() == PER_RUN - 1);
            agents.add(h.agent(run));
        } finally {
            closeAll(agents);
        }
    }

    @Test
    void connectionsOfTheServerAre503NamingTheLimit() throws Exception {
        List<WsClient> agents = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) agents.add(h.agent("lim-total-" + (i % 3)));
            RawHttp.Response refused = upgrade("lim-total-0");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("limits.max_connections is " + MAX_CONNECTIONS);
            // the admitted agents are served as before
            agents.get(0).send("{\"command\":\"get_connection_count\"}");
            assertThat(agents.get(0).nextText()).contains("\"count\":2");
            assertThat(h.get("/health").statusCode()).isEqualTo(200);
        } finally {
            closeAll(agents);
        }
    }

    @Test
    void runsAre503NamingTheLimitWhileAgentsOfHeldRunsAreAdmitted() throws Exception {
        List<WsClient> agents = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_RUNS; i++) agents.add(h.agent("lim-run-" + i));
            RawHttp.Response refused = upgrade(fresh());
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("limits.max_runs is " + MAX_RUNS);
            agents.add(h.agent("lim-run-0")); // a run the server holds takes more agents
            agents.get(agents.size() - 1).send("{\"command\":\"get_connection_count\"}");
            assertThat(agents.get(agents.size() - 1).nextText()).contains("\"count\":2");
        } finally {
            closeAll(agents);
        }
    }

    @Test
    void checkpointsPerRunAreLimitReachedNamingTheLimitAndTheConnectionStaysOpen() throws Exception {
        try (WsClient a = h.agent(fresh()); WsClient b = h.agent(fresh())) {
            for (int i = 0; i < MAX_CHECKPOINTS; i++) {
                a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"cp-" + i + "\",\"target_count\":2}}");
            }
            a.send("{\"command\":\"wait_checkpoint\",\"id\":\"over\",\"content\":{\"identifier\":\"cp-x\",\"target_count\":2}}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"error\",\"id\":\"over\",\"content\":{\"code\":\"limit_reached\","
                    + "\"command\":\"wait_checkpoint\",\"error\":\"this run already holds the maximum number of checkpoints (limits.max_checkpoints_per_run)\"}}");
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).contains("\"count\":1");
            // another run has its own budget: its join waits instead of being refused
            b.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"cp-x\",\"target_count\":2}}");
            b.send("{\"command\":\"get_connection_count\"}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
        } finally {
            awaitEmpty();
        }
    }

    @Test
    void httpBodyOverTheDataLimitIs413NamingTheLimitAndAtTheLimitIsStored() throws Exception {
        String run = fresh();
        var over = h.sendText(h.request("/tests/" + run).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_DATA + 1])).build());
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(over.body()).isEqualTo("{\"code\":413,\"error\":\"body is larger than the data limit of " + MAX_DATA + " bytes (limits.max_data_bytes)\"}");
        assertThat(h.get("/tests/" + run).statusCode()).isEqualTo(404);
        var at = h.sendText(h.request("/tests/" + run).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_DATA])).build());
        assertThat(at.statusCode()).isEqualTo(200);
    }

    @Test
    void websocketContentOverTheDataLimitIsPayloadTooLargeAndTheConnectionStaysOpen() throws Exception {
        String run = fresh();
        try (WsClient a = h.agent(run)) {
            String atLimit = "\"" + "a".repeat(MAX_DATA - 2) + "\"";
            a.send("{\"command\":\"update_data\",\"id\":1,\"content\":" + atLimit + "}");
            a.send("{\"command\":\"update_data\",\"id\":2,\"content\":\"" + "b".repeat(MAX_DATA - 1) + "\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"error\",\"id\":2,\"content\":{\"code\":\"payload_too_large\",\"command\":\"update_data\","
                    + "\"error\":\"content is " + (MAX_DATA + 1) + " bytes; the data limit is " + MAX_DATA + " bytes (limits.max_data_bytes)\"}}");
            a.send("{\"command\":\"read_data\"}");
            assertThat(new String(a.nextBinary())).isEqualTo(atLimit); // the refused write changed nothing
        } finally {
            awaitEmpty();
        }
    }

    @Test
    void aFrameOverTheDataLimitPlusEnvelopeIsClosedWith1009() throws Exception {
        String run = fresh();
        int frameLimit = MAX_DATA + 64 * 1024;
        try (WsClient bystander = h.agent(fresh()); RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            assertThat(raw.upgrade("/register/" + run, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS)).status()).isEqualTo(101);
            raw.send(WireFrame.of(WireFrame.TEXT, new byte[frameLimit + 1]).bytes());
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
            bystander.send("{\"command\":\"get_connection_count\"}");
            assertThat(bystander.nextText()).contains("\"count\":1");
        } finally {
            awaitEmpty();
        }
    }
}
