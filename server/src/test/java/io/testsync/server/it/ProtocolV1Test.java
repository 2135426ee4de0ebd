package io.testsync.server.it;

import io.testsync.testkit.WsClient;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §9.1 and §9.2: agent names, negotiation, the welcome frame, one reply per command. */
class ProtocolV1Test {
    Harness h;

    @BeforeEach
    void start() throws Exception {
        h = Harness.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The form of a connection id (a regular expression): {@code c<n>} on one server. */
    String connectionId() {
        return "c\\d+";
    }

    @Test
    void theWelcomeFrameNamesRunAgentConnectionAndLimits() throws Exception {
        WsClient a = WsClient.to(h.ws("/register/run-1?agent=browser-7:host")).client(h.http).authorization(Harness.basic(Harness.USER, Harness.PASS)).subprotocols("testsync.v1").connect();
        assertThat(a.subprotocol()).isEqualTo("testsync.v1");
        String welcome = a.nextText();
        Matcher m = Pattern.compile("\\{\"command\":\"welcome\",\"content\":\\{\"protocol\":\"testsync.v1\",\"run\":\"run-1\","
                + "\"agent\":\"browser-7:host\",\"connection\":\"(" + connectionId() + ")\",\"server_time_ms\":(\\d+),\"limits\":\\{(.*)\\}\\}\\}").matcher(welcome);
        assertThat(m.matches()).as(welcome).isTrue();
        assertThat(Math.abs(Long.parseLong(m.group(2)) - System.currentTimeMillis())).isLessThan(60_000);
        assertThat(m.group(3)).isEqualTo("\"max_data_bytes\":10485760,\"max_payload_bytes\":1048576,\"max_connections_per_run\":10000,"
                + "\"max_checkpoints_per_run\":10000,\"max_topics_per_run\":1000,\"max_messages_per_topic\":10000,"
                + "\"max_counters_per_run\":10000,\"max_states_per_run\":10000,\"max_locks_per_run\":10000");
        WsClient b = WsClient.to(h.ws("/register/run-1")).client(h.http).authorization(Harness.basic(Harness.USER, Harness.PASS)).subprotocols("testsync.v1").connect();
        String second = b.nextText();
        Matcher unnamed = Pattern.compile(".*\"agent\":\"agent-(\\d+)\",\"connection\":\"(" + connectionId() + ")\".*").matcher(second);
        assertThat(unnamed.matches()).as(second).isTrue();
        assertThat(unnamed.group(2).replaceAll("^.*:", "")).as("the default name has the connection's number").isEqualTo("c" + unnamed.group(1));
        assertThat(unnamed.group(2)).isNotEqualTo(m.group(1));
        a.close();
        b.close();
    }

    @Test
    void anInvalidAgentNameIsRefusedBeforeTheUpgrade() throws Exception {
        for (String bad : new String[] {"", "a%20b", "x".repeat(129), "caf%C3%A9", "a/b"}) {
            RawHttp.Response r;
            try (RawWebSocket raw = RawWebSocket.open(h.server.wsPort())) {
                r = raw.upgrade("/register/run-1?agent=" + bad, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
            }
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).startsWith("{\"code\":400,\"error\":\"agent name ")
                    .endsWith("is not valid: use 1-128 characters from A-Z a-z 0-9 . _ - :\"}");
        }
        assertThat(h.connections()).isZero();
    }

    @Test
    void withoutV1TheSeedProtocolIsUnchanged() throws Exception {
        try (WsClient a = h.agent("run-2")) {
            assertThat(a.subprotocol()).isEmpty();
            a.send("{\"command\":\"update_data\",\"content\":{\"k\": 1},\"id\":1}");
            a.send("{\"command\":\"read_data\",\"id\":2}");
            assertThat(new String(a.nextBinary())).isEqualTo("{\"k\": 1}");
            // the toolkit answers in both protocols, with enveloped text frames
            a.send("{\"command\":\"counter\",\"content\":{\"name\":\"n\",\"add\":2},\"id\":3}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"counter\",\"id\":3,\"content\":{\"name\":\"n\",\"value\":2}}");
        }
    }

    @Test
    void everyCommandGetsExactlyOneReply() throws Exception {
        try (WsClient a = h.v1("run-3", "a1")) {
            a.send("{\"command\":\"read_data\",\"id\":1}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"read_data\",\"id\":1,\"content\":{\"exists\":false}}");
            a.send("{\"command\":\"update_data\",\"content\":{\"room\": \"r-1\"},\"id\":\"u\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"update_data\",\"id\":\"u\",\"content\":{\"stored\":true,\"bytes\":15}}");
            a.send("{\"command\":\"read_data\",\"id\":2}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"read_data\",\"id\":2,\"content\":{\"exists\":true,"
                    + "\"content_type\":\"application/json\",\"data\":{\"room\": \"r-1\"}}}");
            a.send("{\"command\":\"get_connection_count\",\"id\":3}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":3,\"content\":{\"count\":1}}");
            a.send("{\"command\":\"close\",\"id\":4}");
            assertThat(a.awaitClose()).isEqualTo(1000);
            assertThat(a.pending()).isEmpty();
        }
    }

    @Test
    void dataThatIsNotJsonReadsBackAsBase64() throws Exception {
        byte[] blob = {0, (byte) 0xff, 'x', '\n'};
        h.send(h.request("/tests/run-4").header("Content-Type", "application/octet-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob)).build());
        h.post("/tests/run-5", "[1, 2]", "text/plain");
        try (WsClient a = h.v1("run-4", null); WsClient b = h.v1("run-5", null)) {
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextText()).isEqualTo("{\"command\":\"read_data\",\"content\":{\"exists\":true,\"content_type\":\"application/octet-stream\","
                    + "\"data_base64\":\"" + Base64.getEncoder().encodeToString(blob) + "\"}}");
            b.send("{\"command\":\"read_data\"}");
            assertThat(b.nextText()).isEqualTo("{\"command\":\"read_data\",\"content\":{\"exists\":true,\"content_type\":\"text/plain\",\"data\":[1, 2]}}");
        }
    }
}
