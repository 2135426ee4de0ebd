package io.testsync.server.it;

import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.Bytes;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7: what a hostile or broken client sends is answered or closed specifically (RFC 6455 close
 * codes, HTTP 4xx as JSON), and after each of them another run is still served. Short connection
 * timeouts so slowloris tests take a second, not a minute.
 */
class HostileInputTest {
    static final int MAX_DATA = 4096;
    static final int MESSAGE_LIMIT = MAX_DATA + 64 * 1024;
    /** Head and keep-alive timeouts of a second; the idle timeout far above the 10 s a test waits, so it cannot be what cut a client off. */
    static final Tuning TUNING = new Tuning(10_000, 500, 3_000).withConnectionTimeouts(1_000, 1_500, 60_000);
    static Harness h;
    static WsClient bystander;

    @BeforeAll
    static void start() throws Exception {
        Config.Limits d = Config.Limits.defaults();
        h = Harness.start(Harness.config().withLimits(new Config.Limits(MAX_DATA, d.maxRuns(), d.maxConnectionsPerRun(),
                d.maxConnections(), d.maxCheckpointsPerRun(), d.maxQueuedBytesPerConnection())), TUNING);
        bystander = h.agent("bystander");
    }

    @AfterAll
    static void stop() {
        bystander.close();
        h.close();
    }

    /** Whatever the test did, the server still answers /health and serves another run's agent. */
    @AfterEach
    void everyoneElseIsStillServed() throws Exception {
        assertThat(h.get("/health").statusCode()).isEqualTo(200);
        bystander.send("{\"command\":\"get_connection_count\",\"id\":\"still-there\"}");
        assertThat(bystander.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"id\":\"still-there\",\"content\":{\"count\":1}}");
    }

    static RawWebSocket upgraded() throws IOException {
        RawWebSocket raw = RawWebSocket.open(h.server.wsPort());
        assertThat(raw.upgrade("/register/hostile-" + UUID.randomUUID(), "Authorization: " + Harness.basic(Harness.USER, Harness.PASS)).status())
                .isEqualTo(101);
        return raw;
    }

    static final byte[] COUNT = "{\"command\":\"get_connection_count\"}".getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> closingInputs() {
        return Stream.of(
                Arguments.of("invalid UTF-8 in a text frame", 1007, WireFrame.of(WireFrame.TEXT, Bytes.concat("{\"command\":\"".getBytes(), Bytes.of(0xC3, 0x28), "\"}".getBytes())).bytes()),
                Arguments.of("overlong UTF-8 encoding", 1007, WireFrame.of(WireFrame.TEXT, Bytes.of('"', 0xC0, 0xAF, '"')).bytes()),
                Arguments.of("UTF-8 encoded surrogate", 1007, WireFrame.of(WireFrame.TEXT, Bytes.of('"', 0xED, 0xA0, 0x80, '"')).bytes()),
                Arguments.of("invalid UTF-8 across fragments", 1007, Bytes.concat(
                        WireFrame.of(WireFrame.TEXT, Bytes.concat("{\"command\":\"".getBytes(), Bytes.of(0xE2))).fin(false).bytes(),
                        WireFrame.of(WireFrame.CONTINUATION, Bytes.concat(Bytes.of(0x28, 0xA1), "\"}".getBytes())).bytes())),
                Arguments.of("unmasked client frame", 1002, WireFrame.of(WireFrame.TEXT, COUNT).unmasked().bytes()),
                Arguments.of("reserved data opcode 0x3", 1002, WireFrame.of(0x3, COUNT).bytes()),
                Arguments.of("reserved control opcode 0xB", 1002, WireFrame.of(0xB, new byte[0]).bytes()),
                Arguments.of("RSV1 set without an extension", 1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(4).bytes()),
                Arguments.of("RSV2 set", 1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(2).bytes()),
                Arguments.of("RSV3 set", 1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(1).bytes()),
                Arguments.of("ping of 126 bytes", 1002, WireFrame.of(WireFrame.PING, new byte[126]).bytes()),
                Arguments.of("fragmented ping", 1002, WireFrame.of(WireFrame.PING, new byte[2]).fin(false).bytes()),
                Arguments.of("continuation without a start", 1002, WireFrame.of(WireFrame.CONTINUATION, COUNT).bytes()),
                Arguments.of("new message inside a fragmented one", 1002, Bytes.concat(
                        WireFrame.of(WireFrame.TEXT, "{\"command\":".getBytes()).fin(false).bytes(),
                        WireFrame.of(WireFrame.TEXT, COUNT).bytes())),
                Arguments.of("length not in its shortest form", 1002, WireFrame.of(WireFrame.TEXT, COUNT).nonMinimalLength().bytes()),
                Arguments.of("64-bit length with the top bit set", 1002, WireFrame.of(WireFrame.TEXT, new byte[0]).declaredLength(-1L).bytes()),
                Arguments.of("close with the invalid code 999", 1002, WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03, 0xE7)).bytes()),
                Arguments.of("close with a 1-byte body", 1002, WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03)).bytes()),
                Arguments.of("frame over the message limit", 1009, WireFrame.of(WireFrame.TEXT, new byte[MESSAGE_LIMIT + 1]).bytes()),
                Arguments.of("fragments adding up to over the limit", 1009, Bytes.concat(
                        WireFrame.of(WireFrame.TEXT, new byte[MESSAGE_LIMIT / 2]).fin(false).bytes(),
                        WireFrame.of(WireFrame.CONTINUATION, new byte[MESSAGE_LIMIT / 2]).fin(false).bytes(),
                        WireFrame.of(WireFrame.CONTINUATION, new byte[2]).bytes())));
    }

    @ParameterizedTest(name = "{0} closes with {1}")
    @MethodSource("closingInputs")
    void hostileFramesCloseWithTheirCode(String what, int code, byte[] input) throws Exception {
        try (RawWebSocket raw = upgraded()) {
            raw.send(input);
            assertThat(raw.awaitCloseCode()).as(what).isEqualTo(code);
        }
    }

    @Test
    void aHugeDeclaredLengthIsRefusedWith1009BeforeAnyOfItArrives() throws Exception {
        try (RawWebSocket raw = upgraded()) {
            // 2^62 bytes announced, none sent: the answer cannot come from reading (or allocating) them
            raw.send(WireFrame.of(WireFrame.TEXT, new byte[0]).declaredLength(1L << 62).bytes());
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void aFragmentedMessageWithAPingBetweenFragmentsIsAssembledAndExecuted() throws Exception {
        String content = "{\"s\":\"é✓\"}"; // split inside multi-byte characters below
        byte[] frame = ("{\"command\":\"update_data\",\"content\":" + content + "}").getBytes(StandardCharsets.UTF_8);
        int cut1 = indexOf(frame, 0xC3) + 1; // inside the 2-byte é
        int cut2 = indexOf(frame, 0xE2) + 2; // inside the 3-byte ✓
        try (RawWebSocket raw = upgraded()) {
            raw.send(Bytes.concat(
                    WireFrame.of(WireFrame.TEXT, java.util.Arrays.copyOfRange(frame, 0, cut1)).fin(false).bytes(),
                    WireFrame.of(WireFrame.PING, Bytes.of(7)).bytes(),
                    WireFrame.of(WireFrame.CONTINUATION, java.util.Arrays.copyOfRange(frame, cut1, cut2)).fin(false).bytes(),
                    WireFrame.of(WireFrame.CONTINUATION, java.util.Arrays.copyOfRange(frame, cut2, frame.length)).bytes(),
                    WireFrame.text("{\"command\":\"read_data\"}").bytes()));
            RawWebSocket.Frame pong = raw.readFrame();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.payload()).containsExactly(7);
            RawWebSocket.Frame data = nextNonPing(raw);
            assertThat(data.opcode()).isEqualTo(WireFrame.BINARY);
            assertThat(data.text()).isEqualTo(content);
        }
    }

    @Test
    void aFragmentedBinaryMessageIsRefusedWithInvalidMessageAndTheConnectionStaysOpen() throws Exception {
        try (RawWebSocket raw = upgraded()) {
            raw.send(Bytes.concat(WireFrame.of(WireFrame.BINARY, Bytes.of(1, 2)).fin(false).bytes(),
                    WireFrame.of(WireFrame.CONTINUATION, Bytes.of(3)).bytes(),
                    WireFrame.of(WireFrame.TEXT, COUNT).bytes()));
            assertThat(nextNonPing(raw).text()).contains("\"code\":\"invalid_message\"");
            assertThat(nextNonPing(raw).text()).contains("\"count\":1");
        }
    }

    @Test
    void deepJsonNestingIsInvalidMessageAndTheConnectionStaysOpen() throws Exception {
        try (WsClient a = h.agent("deep-" + UUID.randomUUID())) {
            a.send("{\"command\":\"update_data\",\"id\":9,\"content\":" + "[".repeat(3000) + "]".repeat(3000) + "}");
            assertThat(a.nextText()).startsWith("{\"command\":\"error\",\"id\":9,\"content\":{\"code\":\"invalid_message\",\"command\":\"\",\"error\":\"frame is not valid JSON: Document nesting depth (257) exceeds");
            a.send("{\"command\":\"update_data\",\"content\":" + "[".repeat(200) + "]".repeat(200) + "}"); // within the bound: stored
            a.send("{\"command\":\"read_data\"}");
            assertThat(a.nextBinary()).hasSize(400);
        }
    }

    static int indexOf(byte[] bytes, int value) {
        for (int i = 0; i < bytes.length; i++) if ((bytes[i] & 0xff) == value) return i;
        throw new AssertionError("no byte " + value);
    }

    static RawWebSocket.Frame nextNonPing(RawWebSocket raw) throws IOException {
        while (true) {
            RawWebSocket.Frame f = raw.readFrame();
            if (f.opcode() != WireFrame.PING) return f;
        }
    }

    // --- HTTP ----------------------------------------------------------------------------------

    static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void oversizedHeadersAre431Json() throws Exception {
        String response = exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(9000) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431 ");
        assertThat(response).contains("content-type: application/json");
        assertThat(response).endsWith("\r\n\r\n{\"code\":431,\"error\":\"request headers are larger than 8192 bytes\"}");
    }

    @Test
    void anOversizedRequestLineIs414Json() throws Exception {
        String response = exchange("GET /tests/" + "1".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).contains(" 414 ");
        assertThat(response).endsWith("{\"code\":414,\"error\":\"request line is longer than 4096 bytes\"}");
    }

    @Test
    void aMalformedRequestIs400Json() throws Exception {
        String response = exchange("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n");
        assertThat(response).contains(" 400 ");
        assertThat(response).endsWith("{\"code\":400,\"error\":\"malformed HTTP request\"}");
    }

    /** Reads until the server closes; what it sent, or fails when it does not close within 10 s. */
    static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeadTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            assertThat(readUntilClosed(s)).isEmpty();
        }
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutOff() throws Exception {
        byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            AtomicInteger sent = new AtomicInteger();
            // one byte every 100 ms: each byte resets an idle timeout, the whole head needs 5 s
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i >= head.length) return;
                try {
                    s.getOutputStream().write(head[i]);
                    sent.incrementAndGet();
                } catch (IOException closed) {
                    // the server cut us off
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertThat(readUntilClosed(s)).as("no answer to a head that never completed").isEmpty();
            assertThat(sent.get()).isLessThan(head.length);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void theNextHeadOnAKeptAliveConnectionIsTimedToo() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response first = RawHttp.readResponse(s.getInputStream());
            assertThat(first.status()).isEqualTo(200);
            byte[] next = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            AtomicInteger sent = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i >= next.length) return;
                try {
                    s.getOutputStream().write(next[i]);
                    sent.incrementAndGet();
                } catch (IOException closed) {
                    // cut off
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertThat(readUntilClosed(s)).isEmpty();
            assertThat(sent.get()).isLessThan(next.length);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void aQuietWebSocketAgentOutlivesEveryConnectionTimeout() throws Exception {
        Tuning timeouts = TUNING.withConnectionTimeouts(1_000, 1_500, 2_000);
        try (Harness other = Harness.start(Harness.config(), timeouts); WsClient quiet = other.agent("quiet-" + UUID.randomUUID())) {
            long longest = Math.max(timeouts.idleTimeoutMs(), Math.max(timeouts.headTimeoutMs(), timeouts.keepAliveTimeoutMs()));
            await().during(Duration.ofMillis(longest + 1_000)).atMost(Duration.ofMillis(longest + 5_000))
                    .until(() -> !quiet.closeCode().isDone());
            quiet.send("{\"command\":\"get_connection_count\"}");
            assertThat(quiet.nextText()).contains("\"count\":1");
        }
    }
    @Test
    void anUpgradedWebSocketIsNotClosedByTheHttpIdleTimeout() throws Exception {
        // pings far apart, so nothing crosses the connection while the idle timeout would run out
        Tuning rarePings = new Tuning(10_000, 60_000, 120_000).withConnectionTimeouts(1_000, 1_500, 1_000);
        try (Harness other = Harness.start(Harness.config(), rarePings); WsClient quiet = other.agent("idle-" + UUID.randomUUID())) {
            await().during(Duration.ofMillis(rarePings.idleTimeoutMs() + 1_500)).atMost(Duration.ofMillis(rarePings.idleTimeoutMs() + 5_000))
                    .until(() -> !quiet.closeCode().isDone());
            quiet.send("{\"command\":\"get_connection_count\"}");
            assertThat(quiet.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
        }
    }
}
