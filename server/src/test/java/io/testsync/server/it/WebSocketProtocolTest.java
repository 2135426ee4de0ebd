package io.testsync.server.it;

import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §3 through real WebSockets: handshake refusals, every command, errors, ids, ordering. */
class WebSocketProtocolTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String fresh() {
        return "ws-" + UUID.randomUUID();
    }

    @Test
    void badCredentialsAreRefusedBeforeUpgradeWith401Json() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            RawHttp.Response r = raw.upgrade("/register/1", "Authorization: " + Harness.basic("agent", "wrong"));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers().get("content-type")).isEqualTo("application/json");
            assertThat(r.headers().get("www-authenticate")).isEqualTo("Basic realm=\"testsync\"");
            assertThat(r.body()).startsWith("{\"code\":401,\"error\":\"");
        }
        try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            assertThat(raw.upgrade("/register/1").status()).isEqualTo(401);
        }
    }

    @Test
    void badIdIsRefusedBeforeUpgradeWith400Json() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            RawHttp.Response r = raw.upgrade("/register/bad*id", "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"code\":400,\"error\":\"test ID may contain only");
        }
    }

    @Test
    void queryStringCredentialsAreAccepted() throws Exception {
        try (WsClient a = WsClient.connect(h.ws("/register/q1?username=agent&password=s3cret"), null)) {
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
        }
        try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
            assertThat(raw.upgrade("/register/q1?username=agent&password=bad").status()).isEqualTo(401);
        }
    }

    @Test
    void readDataIsOneBinaryFrameOfTheStoredBytesAndEmptyWhenNone() throws Exception {
        String id = fresh();
        try (WsClient a = h.agent(id)) {
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextBinary()).isEmpty();
            h.post("/tests/" + id, "posted ✓", "text/plain; charset=utf-8");
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextBinary()).isEqualTo("posted ✓".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void updateDataStoresTheExactBytesOfContentAndHttpReadsThemAsJson() throws Exception {
        String id = fresh();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send("{\"command\":\"update_data\",  \"content\" :  { \"k\" : [1,  2.50, \"é\"] }  , \"id\": 3}");
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextBinary()).isEqualTo("{ \"k\" : [1,  2.50, \"é\"] }".getBytes(StandardCharsets.UTF_8));
            b.send("{\"command\":\"read_data\"}");
            assertThat(new String(b.nextBinary(), StandardCharsets.UTF_8)).isEqualTo("{ \"k\" : [1,  2.50, \"é\"] }");
            var get = h.get("/tests/" + id);
            assertThat(get.body()).isEqualTo("{ \"k\" : [1,  2.50, \"é\"] }");
            assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    @Test
    void updateDataKeepsScalarContentExactly() throws Exception {
        String id = fresh();
        try (WsClient a = h.agent(id)) {
            for (String value : new String[]{"\"a \\\"quoted\\\" string\"", "-12.5e+3", "42", "true", "false", "null", "[ ]", "{}"}) {
                a.send("{\"content\":" + value + ",\"command\":\"update_data\"}");
                a.send("{\"command\":\"read_data\"}");
                assertThat(new String(a.nextBinary(), StandardCharsets.UTF_8)).isEqualTo(value);
            }
        }
    }

    @Test
    void commandsOfOneConnectionRunInOrder() throws Exception {
        String id = fresh();
        try (WsClient a = h.agent(id)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                a.send("{\"command\":\"update_data\",\"content\":" + i + "}");
                a.send("{\"command\":\"read_data\"}");
            }
            for (int i = 0; i < 200; i++) {
                assertThat(new String(a.nextBinary(), StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void connectionCountCountsLiveConnectionsAndEchoesId() throws Exception {
        String id = fresh();
        try (WsClient a = h.agent(id)) {
            WsClient b = h.agent(id);
            a.send("{\"command\":\"get_connection_count\",\"id\":\"n-1\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":\"n-1\",\"content\":{\"count\":2}}");
            b.send("{\"command\":\"close\"}");
            assertThat(b.awaitClose()).isEqualTo(1000);
            await().until(() -> h.server.registry().find(id).connectionCount() == 1);
            a.send("{\"command\":\"get_connection_count\",\"id\":7}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":7,\"content\":{\"count\":1}}");
        }
    }

    @Test
    void closeCommandClosesWith1000AfterEarlierReplies() throws Exception {
        try (WsClient a = h.agent(fresh())) {
            a.send("{\"command\":\"get_connection_count\"}");
            a.send("{\"command\":\"close\"}");
            assertThat(a.nextText()).contains("\"count\":1");
            assertThat(a.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void invalidFramesAreAnsweredAndTheConnectionStaysOpen() throws Exception {
        try (WsClient a = h.agent(fresh())) {
            a.send("not json");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"content\":{\"code\":\"invalid_message\",\"command\":\"\",\"error\":\"frame is not valid JSON");
            a.send("[1,2]");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"content\":{\"code\":\"invalid_message\",\"command\":\"\",");
            a.send("{\"content\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"error\",\"content\":{\"code\":\"invalid_message\",\"command\":\"\",\"error\":\"frame has no \\\"command\\\" string\"}}");
            a.send("{\"command\":5,\"id\":\"x\"}");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"content\":{\"code\":\"invalid_message\"");
            a.send("{\"command\":\"fly\",\"id\":\"x1\"}");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"id\":\"x1\",\"content\":{\"code\":\"unknown_command\",\"command\":\"fly\",\"error\":\"unknown command \\\"fly\\\"");
            a.send("{\"command\":\"update_data\",\"id\":2}");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"id\":2,\"content\":{\"code\":\"invalid_argument\",\"command\":\"update_data\"");
            a.send("{\"command\":\"get_connection_count\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
        }
    }

    @Test
    void binaryFramesAreRefusedWithInvalidMessage() throws Exception {
        try (WsClient a = h.agent(fresh())) {
            a.webSocket().sendBinary(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3}), true).join();
            assertThat(a.nextText()).isEqualTo("{\"command\":\"error\",\"content\":{\"code\":\"invalid_message\",\"command\":\"\","
                    + "\"error\":\"binary frames are not accepted: send commands as JSON text frames\"}}");
        }
    }

    @Test
    void checkpointArgumentsAreValidated() throws Exception {
        try (WsClient a = h.agent(fresh())) {
            String[] bad = {
                    "{\"identifier\":\"\",\"target_count\":1}",
                    "{\"identifier\":\"" + "i".repeat(257) + "\",\"target_count\":1}",
                    "{\"identifier\":5,\"target_count\":1}",
                    "{\"identifier\":\"x\",\"target_count\":0}",
                    "{\"identifier\":\"x\",\"target_count\":1.5}",
                    "{\"identifier\":\"x\",\"target_count\":\"2\"}",
                    "{\"identifier\":\"x\"}",
                    "{\"identifier\":\"x\",\"target_count\":1,\"timeout_ms\":-1}",
                    "[1]",
            };
            for (String content : bad) {
                a.send("{\"command\":\"wait_checkpoint\",\"id\":1,\"content\":" + content + "}");
                assertThat(a.nextText()).as(content).startsWith("{\"command\":\"error\",\"id\":1,\"content\":{\"code\":\"invalid_argument\",\"command\":\"wait_checkpoint\",\"error\":\"");
            }
            // nothing was joined: a valid join of target 1 completes at once
            a.send("{\"command\":\"wait_checkpoint\",\"content\":{\"identifier\":\"x\",\"target_count\":1}}");
            assertThat(a.nextText()).contains("\"finished\":true,\"reason\":\"complete\",\"joined\":1,\"target\":1");
        }
    }
}
