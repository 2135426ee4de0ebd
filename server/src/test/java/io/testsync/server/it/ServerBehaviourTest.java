package io.testsync.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.testsync.server.Tuning;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WsClient;
import io.testsync.testkit.Ports;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §1–§3 behaviours that need their own server: protected mode, time bounds, heartbeat, two listeners, logs. */
class ServerBehaviourTest {

    @Test
    void protectedModeServesLoopbackClientsWithoutCredentials() throws Exception {
        try (Harness h = Harness.start(Harness.config().withCredentials(null))) {
            var r = h.sendText(HttpRequest.newBuilder(h.http("/tests/open")).PUT(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            try (WsClient a = WsClient.connect(h.ws("/register/open"), null)) {
                a.send("{\"command\":\"read_data\"}");
                assertThat(a.nextBinary()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aRequestThatCannotFinishInTimeGets503() throws Exception {
        try (Harness h = Harness.start(Harness.config(), new Tuning(300, 10_000, 30_000));
             Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PUT /tests/slow HTTP/1.1\r\nHost: x\r\nAuthorization: " + Harness.basic(Harness.USER, Harness.PASS)
                    + "\r\nContent-Length: 10\r\n\r\nabc").getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response r = RawHttp.readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.headers().get("content-type")).isEqualTo("application/json");
            assertThat(r.body()).startsWith("{\"code\":503,\"error\":\"the request did not finish within 300 ms");
            assertThat(h.get("/tests/slow").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void serverPingsAndClosesConnectionsThatStopAnswering() throws Exception {
        try (Harness h = Harness.start(Harness.config(), new Tuning(10_000, 100, 600));
             WsClient polite = h.agent("hb");
             RawWebSocket silent = RawWebSocket.open(h.server.wsPort())) {
            assertThat(silent.upgrade("/register/hb", "Authorization: " + Harness.basic(Harness.USER, Harness.PASS)).status()).isEqualTo(101);
            RawWebSocket.Frame first = silent.readFrame();
            assertThat(first.opcode()).as("a ping").isEqualTo(0x9);
            assertThat(silent.awaitCloseCode()).isEqualTo(1001);
            // the JDK client answers pings: it is still served after many deadlines' worth of pings
            await().atMost(Duration.ofSeconds(10)).until(() -> polite.pings() >= 15);
            assertThat(polite.closeCode()).isNotDone();
            polite.send("{\"command\":\"get_connection_count\"}");
            assertThat(polite.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
        }
    }

    @Test
    void separatePortsServeTheApiAndTheWebSocketEach() throws Exception {
        int[] ports = Ports.free(2);
        int httpPort = ports[0];
        int wsPort = ports[1];
        try (Harness h = Harness.start(Harness.config().withPorts(httpPort, wsPort))) {
            assertThat(h.server.httpPort()).isEqualTo(httpPort);
            assertThat(h.server.wsPort()).isEqualTo(wsPort);
            h.post("/tests/two", "d", "text/plain");
            try (WsClient a = h.agent("two")) {
                a.send("{\"command\":\"read_data\"}");
                assertThat(a.nextBinary()).isEqualTo("d".getBytes(StandardCharsets.UTF_8));
            }
            var onWsPort = h.sendText(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + wsPort + "/tests/two"))
                    .header("Authorization", Harness.basic(Harness.USER, Harness.PASS)).build());
            assertThat(onWsPort.statusCode()).isEqualTo(404);
            assertThat(onWsPort.body()).contains("this port serves /register/{testID} and /health");
            var health = h.sendText(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + wsPort + "/health")).build());
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            try (RawWebSocket raw = RawWebSocket.open(httpPort)) {
                assertThat(raw.upgrade("/register/two", "Authorization: " + Harness.basic(Harness.USER, Harness.PASS)).status()).isEqualTo(404);
            }
        }
    }

    @Test
    void noLogLineCarriesAPasswordEvenAtDebug() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        try (Harness h = Harness.start()) {
            try (WsClient a = WsClient.connect(h.ws("/register/logs?username=agent&password=" + Harness.PASS), null)) {
                a.send("{\"command\":\"get_connection_count\"}");
                a.nextText();
            }
            h.sendText(HttpRequest.newBuilder(h.http("/tests/logs")).header("Authorization", Harness.basic(Harness.USER, "wrong-" + Harness.PASS)).build());
        } finally {
            root.setLevel(before);
            root.detachAppender(captured);
        }
        assertThat(captured.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("password=<redacted>"));
        assertThat(captured.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(Harness.PASS);
            assertThat(String.valueOf(e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).doesNotContain(Harness.PASS);
        });
    }
}
