package io.testsync.faults;

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

import static io.testsync.faults.Raw.bytes;
import static io.testsync.faults.Raw.concat;
import static io.testsync.faults.Raw.fragment;
import static io.testsync.faults.Raw.frame;
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
        in.put("invalid UTF-8", new Object[]{1007, frame(Raw.TEXT, concat("{\"command\":\"".getBytes(), bytes(0xC3, 0x28), "\"}".getBytes()))});
        in.put("overlong UTF-8", new Object[]{1007, frame(Raw.TEXT, bytes('"', 0xC0, 0xAF, '"'))});
        in.put("UTF-8 encoded surrogate", new Object[]{1007, frame(Raw.TEXT, bytes('"', 0xED, 0xA0, 0x80, '"'))});
        in.put("invalid UTF-8 across fragments", new Object[]{1007, concat(
                fragment(false, Raw.TEXT, concat("{\"command\":\"".getBytes(), bytes(0xE2))),
                fragment(true, Raw.CONTINUATION, concat(bytes(0x28, 0xA1), "\"}".getBytes())))});
        in.put("unmasked client frame", new Object[]{1002, frame(true, 0, Raw.TEXT, false, COUNT.length, COUNT, true)});
        in.put("reserved data opcode", new Object[]{1002, frame(0x3, COUNT)});
        in.put("reserved control opcode", new Object[]{1002, frame(0xB, new byte[0])});
        in.put("RSV1 bit", new Object[]{1002, frame(true, 4, Raw.TEXT, true, COUNT.length, COUNT, true)});
        in.put("RSV2 bit", new Object[]{1002, frame(true, 2, Raw.TEXT, true, COUNT.length, COUNT, true)});
        in.put("RSV3 bit", new Object[]{1002, frame(true, 1, Raw.TEXT, true, COUNT.length, COUNT, true)});
        in.put("ping over 125 bytes", new Object[]{1002, frame(Raw.PING, new byte[126])});
        in.put("fragmented ping", new Object[]{1002, fragment(false, Raw.PING, new byte[2])});
        in.put("continuation without a start", new Object[]{1002, frame(Raw.CONTINUATION, COUNT)});
        in.put("new message inside a fragmented one", new Object[]{1002, concat(
                fragment(false, Raw.TEXT, "{\"command\":".getBytes()), frame(Raw.TEXT, COUNT))});
        in.put("length not in shortest form", new Object[]{1002, frame(true, 0, Raw.TEXT, true, COUNT.length, COUNT, false)});
        in.put("64-bit length with the top bit set", new Object[]{1002, frame(true, 0, Raw.TEXT, true, -1L, new byte[0], true)});
        in.put("close code 999", new Object[]{1002, frame(Raw.CLOSE, bytes(0x03, 0xE7))});
        in.put("close with a 1-byte body", new Object[]{1002, frame(Raw.CLOSE, bytes(0x03))});
        in.put("2^62 bytes declared", new Object[]{1009, frame(true, 0, Raw.TEXT, true, 1L << 62, new byte[0], true)});
        in.put("frame over the message limit", new Object[]{1009, frame(true, 0, Raw.TEXT, true, MESSAGE_LIMIT + 1L, new byte[0], true)});
        byte[] half = new byte[MESSAGE_LIMIT / 2];
        Arrays.fill(half, (byte) ' ');
        in.put("fragments adding up to over the limit", new Object[]{1009, concat(
                fragment(false, Raw.TEXT, half), fragment(false, Raw.CONTINUATION, half), fragment(true, Raw.CONTINUATION, bytes(' ', ' ')))});
        return in;
    }

    @Test
    void everyHostileInputIsAnsweredSpecificallyAndOthersAreStillServed(@TempDir Path dir) throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (ServerJar server = ServerJar.start(dir, Map.of());
             WsAgent bystander = WsAgent.connect(client, server.ws("/register/bystander"))) {
            // slowloris first: they run while everything else is tried
            Socket silent = new Socket("127.0.0.1", server.port);
            Socket slow = new Socket("127.0.0.1", server.port);
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
                try (Raw raw = Raw.upgraded(server.port, "hostile-" + UUID.randomUUID())) {
                    raw.send((byte[]) e.getValue()[1]);
                    assertThat(raw.awaitCloseCode()).as(e.getKey()).isEqualTo(expected);
                }
                othersAreServed(server, bystander);
                outcomes.add(e.getKey() + " -> " + expected);
            }

            try (Raw raw = Raw.upgraded(server.port, "hostile-deep")) {
                raw.send(Raw.text("{\"command\":\"update_data\",\"content\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
                assertThat(nextText(raw)).contains("\"code\":\"invalid_message\"").contains("nesting depth");
                raw.send(Raw.text("{\"command\":\"get_connection_count\"}"));
                assertThat(nextText(raw)).contains("\"count\":1");
            }
            othersAreServed(server, bystander);
            outcomes.add("JSON nested 100,000 deep -> invalid_message, connection kept");

            try (Raw raw = Raw.upgraded(server.port, "hostile-fragments")) {
                byte[] cmd = "{\"command\":\"update_data\",\"content\":{\"s\":\"é✓\"}}".getBytes(StandardCharsets.UTF_8);
                int cut = cmd.length - 6; // inside ✓
                raw.send(concat(fragment(false, Raw.TEXT, Arrays.copyOfRange(cmd, 0, cut)),
                        frame(Raw.PING, bytes(1)),
                        fragment(true, Raw.CONTINUATION, Arrays.copyOfRange(cmd, cut, cmd.length)),
                        Raw.text("{\"command\":\"read_data\"}")));
                Raw.Frame f;
                do {
                    f = raw.readFrame();
                } while (f.opcode() != Raw.BINARY);
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

            assertThat(server.process.isAlive()).isTrue();
            System.out.printf("faults: hostile inputs: %d tried against the jar, %d answered as specified, another run served after each:%n  %s%n",
                    outcomes.size(), outcomes.size(), String.join("\n  ", outcomes));
            silent.close();
            slow.close();
        } finally {
            trickle.shutdownNow();
        }
    }

    private void othersAreServed(ServerJar server, WsAgent bystander) throws Exception {
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri("/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        bystander.send("{\"command\":\"get_connection_count\"}");
        assertThat(bystander.next().text()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
    }

    private static String nextText(Raw raw) throws IOException {
        while (true) {
            Raw.Frame f = raw.readFrame();
            if (f.opcode() == Raw.TEXT) return f.text();
        }
    }

    private static String http(ServerJar server, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return Raw.readAll(s.getInputStream());
        }
    }

    private static CompletableFuture<String> readToEnd(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                s.setSoTimeout(60_000);
                return Raw.readAll(s.getInputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
