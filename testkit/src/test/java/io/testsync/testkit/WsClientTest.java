package io.testsync.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WsClient against a hand-written WebSocket server on a real socket: what it offers in the
 * handshake (subprotocol, ?agent=, headers) and how it awaits frames and the close.
 */
class WsClientTest {
    final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final CompletableFuture<String> requestHead = new CompletableFuture<>();

    WsClientTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    /** Accepts one connection, answers the upgrade (choosing testsync.v1 when offered), then writes {@code frames}. */
    void serve(byte[]... frames) {
        Thread t = new Thread(() -> {
            try (Socket s = listener.accept()) {
                String head = RawHttp.readHead(s.getInputStream());
                requestHead.complete(head);
                Matcher key = Pattern.compile("(?i)Sec-WebSocket-Key: (\\S+)").matcher(head);
                key.find();
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept
                        + (head.contains("testsync.v1") ? "\r\nSec-WebSocket-Protocol: testsync.v1" : "") + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                for (byte[] f : frames) out.write(f);
                out.flush();
                s.getInputStream().readAllBytes(); // until the client is done
            } catch (Exception e) {
                requestHead.completeExceptionally(e);
            }
        }, "ws-test-server");
        t.setDaemon(true);
        t.start();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + path);
    }

    static byte[] text(String s) {
        return WireFrame.text(s).unmasked().bytes();
    }

    @Test
    void offersTheSubprotocolAndTheAgentNameAndAwaitsTheMatchingTextThenTheClose() throws Exception {
        serve(text("{\"command\":\"welcome\"}"), WireFrame.of(WireFrame.BINARY, Bytes.of(1, 2)).unmasked().bytes(),
                text("{\"command\":\"read_data\",\"id\":7}"), WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03, 0xF0)).unmasked().bytes());
        try (WsClient c = WsClient.to(uri("/register/run-1")).subprotocols("testsync.v1").agent("alice b&c")
                .authorization(Credentials.basic("u", "p")).connect()) {
            assertThat(c.subprotocol()).isEqualTo("testsync.v1");
            String head = requestHead.get();
            assertThat(head).startsWith("GET /register/run-1?agent=alice+b%26c HTTP/1.1\r\n")
                    .containsIgnoringCase("Sec-WebSocket-Protocol: testsync.v1\r\n")
                    .contains("Authorization: Basic dTpw\r\n");
            assertThat(c.awaitText(".*\"id\":7.*")).isEqualTo("{\"command\":\"read_data\",\"id\":7}");
            assertThat(c.awaitClose()).isEqualTo(1008);
            assertThat(c.next()).isInstanceOfSatisfying(Received.Closed.class, closed -> assertThat(closed.code()).isEqualTo(1008));
            assertThat(c.end()).isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    void messagesArriveInOrderWithOneSequenceAndTheEndFailsAnAwaitAtOnce() throws Exception {
        serve(text("one"), text("two"), WireFrame.of(WireFrame.CLOSE, Bytes.of(0x03, 0xE8)).unmasked().bytes());
        try (WsClient c = WsClient.to(uri("/register/run-2")).agent("bob").connect()) {
            long before = WsClient.mark();
            Received one = c.next();
            Received two = c.next();
            assertThat(one).isInstanceOfSatisfying(Received.Text.class, t -> assertThat(t.text()).isEqualTo("one"));
            assertThat(two.seq()).isGreaterThan(one.seq());
            assertThat(requestHead.get()).startsWith("GET /register/run-2?agent=bob HTTP/1.1\r\n").doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
            assertThat(c.subprotocol()).isEmpty();
            assertThatThrownBy(() -> c.awaitText("never")).isInstanceOf(AssertionError.class).hasMessageContaining("closed 1000");
            assertThat(before).isPositive();
        }
    }
}
