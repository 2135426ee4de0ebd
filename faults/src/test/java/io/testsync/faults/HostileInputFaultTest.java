package io.testsync.faults;

import io.testsync.testkit.Bytes;
import io.testsync.testkit.RawHttp;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7 against the jar: every hostile input is answered or closed specifically, the process
 * survives all of them, and after each one another run is still served.
 */
class HostileInputFaultTest {
    static final byte[] COUNT = "{\"command\":\"get_connection_count\"}".getBytes(StandardCharsets.UTF_8);
    static final int MESSAGE_LIMIT = 10 * 1024 * 1024 + 64 * 1024;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Frames that must close the connection with the code given. */
    static Map<String, Object[]> closingInputs() {
        Map<String, Object[]> in = new LinkedHashMap<>();
        in.put("invalid UTF-8", new Object[]{1007, WireFrame.of(WireFrame.TEXT, Bytes.concat("{\"command\":\"".getBytes(), Bytes.of(0xC3, 0x28), "\"}".getBytes())).bytes()});
        in.put("overlong UTF-8", new Object[]{1007, WireFrame.of(WireFrame.TEXT, Bytes.of('"', 0xC0, 0xAF, '"')).bytes()});
        in.put("UTF-8 encoded surrogate", new Object[]{1007, WireFrame.of(WireFrame.TEXT, Bytes.of('"', 0xED, 0xA0, 0x80, '"')).bytes()});
        in.put("invalid UTF-8 across fragments", new Object[]{1007, Bytes.concat(
                WireFrame.of(WireFrame.TEXT, Bytes.concat("{\"command\":\"".getBytes(), Bytes.of(0xE2))).fin(false).bytes(),
                WireFrame.of(WireFrame.CONTINUATION, Bytes.concat(Bytes.of(0x28, 0xA1), "\"}".getBytes())).bytes())});
        in.put("unmasked client frame", new Object[]{1002, WireFrame.of(WireFrame.TEXT, COUNT).unmasked().bytes()});
        in.put("reserved data opcode", new Object[]{1002, WireFrame.of(0x3, COUNT).bytes()});
        in.put("reserved control opcode", new Object[]{1002, WireFrame.of(0xB, new byte[0]).bytes()});
        in.put("RSV1 bit", new Object[]{1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(4).bytes()});
        in.put("RSV2 bit", new Object[]{1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(2).bytes()});
        in.put("RSV3 bit", new Object[]{1002, WireFrame.of(WireFrame.TEXT, COUNT).rsv(1).bytes()});
        in.put("ping over 125 bytes", new Object[]{1002, WireFrame.of(WireFrame.PING, new byte[126]).bytes()});
        in.put("fragmented ping", new Object[]{1002, WireFrame.of(WireFrame.PING, new byte[2]).fin(false).bytes()});
        in.put("continuation without a start", new Object[]{1002, WireFrame.of(WireFrame.CONTINUATION, COUNT).bytes()});
        in.put("new message inside a fragmented one", new Object[]{1002, Bytes.concat(
                WireFrame.of(WireFrame.TEXT, "{\"command\":".getBytes()).fin(false).bytes(), WireFrame.of(WireFrame.TEXT, COUNT).bytes())});
        in.put("length not in shortest form", new Object[]{1002, WireFrame.of(WireFrame.TEXT, COUNT).nonMinimalLength().bytes()});
        in.put("64-bit length with the top bit set", new Object[]{1002, WireFrame.of(WireFrame.TEXT, new byte[0]).declaredLength(-1L).bytes()});
        in.put("close code 999", new Object[]{1002, WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03, 0xE7)).bytes()});
        in.put("close with a 1-byte body", new Object[]{1002, WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03)).bytes()});
        in.put("2^62 bytes declared", new Object[]{1009, WireFrame.of(WireFrame.TEXT, new byte[0]).declaredLength(1L << 62).bytes()});
        in.put("frame over the message limit", new Object[]{1009, WireFrame.of(WireFrame.TEXT, new byte[0]).declaredLength(MESSAGE_LIMIT + 1L).bytes()});
        byte[] half = new byte[MESSAGE_LIMIT / 2];
        Arrays.fill(half, (byte) ' ');
        in.put("fragments adding up to over the limit", new Object[]{1009, Bytes.concat(
                WireFrame.of(WireFrame.TEXT, half).fin(false).bytes(), WireFrame.of(WireFrame.CONTINUATION, half).fin(false).bytes(), WireFrame.of(WireFrame.CONTINUATION, Bytes.of(' ', ' ')).bytes())});
        return in;
    }

    @Test
    void everyHostileInputIsAnsweredSpecificallyAndOthersAreStillServed(@TempDir Path dir) throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (ServerJar server = FaultServer.start(dir, Map.of());
             WsClient bystander = server.agent("/register/bystander")) {
            // slowloris first: they run while everything else is tried
            Socket silent = new Socket("127.0.0.1", server.port());
            Socket slow = new Socket("127.0.0.1", server.port());
            CompletableFuture<String> silentEnd = readToEnd(silent);
            CompletableFuture<String> slowEnd = readToEnd(slow);
            byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: one byte every 500 ms\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            AtomicInteger trickled = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                if (trickled.get() >= head.length) return;
                try {
                    slow.getOutputStream().write(head[trickled.get()]);
                    trickled.incrementAndGet();
                } catch (IOException cutOff) {
                    // expected, once the head timeout passes
                }
            }, 0, 500, TimeUnit.MILLISECONDS);

            List<String> outcomes = new ArrayList<>();
            for (var e : closingInputs().entrySet()) {
                int expected = (Integer) e.getValue()[0];
                try (RawWebSocket raw = server.rawAgent("/register/hostile-" + UUID.randomUUID())) {
                    raw.send((byte[]) e.getValue()[1]);
                    assertThat(raw.awaitCloseCode()).as(e.getKey()).isEqualTo(expected);
                }
                othersAreServed(server, bystander);
                outcomes.add(e.getKey() + " -> " + expected);
            }

            try (RawWebSocket raw = server.rawAgent("/register/hostile-deep")) {
                raw.send(WireFrame.text("{\"command\":\"update_data\",\"content\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
                assertThat(raw.nextText()).contains("\"code\":\"invalid_message\"").contains("nesting depth");
                raw.send(WireFrame.text("{\"command\":\"get_connection_count\"}"));
                assertThat(raw.nextText()).contains("\"count\":1");
            }
            othersAreServed(server, bystander);
            outcomes.add("JSON nested 100,000 deep -> invalid_message, connection kept");

            try (RawWebSocket raw = server.rawAgent("/register/hostile-fragments")) {
                byte[] cmd = "{\"command\":\"update_data\",\"content\":{\"s\":\"é✓\"}}".getBytes(StandardCharsets.UTF_8);
                int cut = cmd.length - 6; // inside ✓
                raw.send(Bytes.concat(WireFrame.of(WireFrame.TEXT, Arrays.copyOfRange(cmd, 0, cut)).fin(false).bytes(),
                        WireFrame.of(WireFrame.PING, Bytes.of(1)).bytes(),
                        WireFrame.of(WireFrame.CONTINUATION, Arrays.copyOfRange(cmd, cut, cmd.length)).bytes(),
                        WireFrame.text("{\"command\":\"read_data\"}").bytes()));
                RawWebSocket.Frame f;
                do {
                    f = raw.readFrame();
                } while (f.opcode() != WireFrame.BINARY);
                assertThat(f.text()).isEqualTo("{\"s\":\"é✓\"}");
            }
            othersAreServed(server, bystander);
            outcomes.add("fragmented message with a ping between fragments -> assembled and executed");

            String headers = http(server, "GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(20_000) + "\r\n\r\n");
            assertThat(headers).startsWith("HTTP/1.1 431 ").endsWith("{\"code\":431,\"error\":\"request headers are larger than 8192 bytes\"}");
            othersAreServed(server, bystander);
            outcomes.add("20 KB of headers -> 431 JSON");
            String line = http(server, "GET /tests/" + "9".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(line).contains(" 414 ").endsWith("{\"code\":414,\"error\":\"request line is longer than 4096 bytes\"}");
            othersAreServed(server, bystander);
            outcomes.add("10 KB request line -> 414 JSON");
            String garbage = http(server, "\u0000\u0001\u0002 not http at all\r\n\r\n");
            assertThat(garbage).contains(" 400 ").endsWith("{\"code\":400,\"error\":\"malformed HTTP request\"}");
            othersAreServed(server, bystander);
            outcomes.add("binary garbage -> 400 JSON");

            // the head timeout is 10 s: both slowloris connections are cut off without an answer
            assertThat(silentEnd.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(slowEnd.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(trickled.get()).isLessThan(head.length);
            othersAreServed(server, bystander);
            outcomes.add("connection sending nothing -> closed by the head timeout");
            outcomes.add("head trickled a byte every 500 ms -> closed by the head timeout after " + trickled.get() + " of " + head.length + " bytes");

            assertThat(server.process().isAlive()).isTrue();
            System.out.printf("faults: hostile inputs: %d tried against the jar, %d answered as specified, another run served after each:%n  %s%n",
                    outcomes.size(), outcomes.size(), String.join("\n  ", outcomes));
            silent.close();
            slow.close();
        } finally {
            trickle.shutdownNow();
        }
    }

    private void othersAreServed(ServerJar server, WsClient bystander) throws Exception {
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri("/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        bystander.send("{\"command\":\"get_connection_count\"}");
        assertThat(bystander.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
    }

    private static String http(ServerJar server, String request) throws IOException {
        return RawHttp.exchange(server.port(), request, Duration.ofSeconds(30));
    }

    private static CompletableFuture<String> readToEnd(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                s.setSoTimeout(60_000);
                return RawHttp.readAll(s.getInputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
