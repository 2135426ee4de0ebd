package io.testsync.server.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A test agent on the JDK's WebSocket client: records every whole message it receives and how it was closed. */
final class Agent implements WebSocket.Listener, AutoCloseable {
    /** A received message: text or binary. */
    record Message(String text, byte[] binary) {
        boolean isText() {
            return text != null;
        }
    }

    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    private final StringBuilder textPart = new StringBuilder();
    private final java.io.ByteArrayOutputStream binaryPart = new java.io.ByteArrayOutputStream();
    WebSocket ws;

    static Agent connect(HttpClient client, URI uri, String authorization) throws Exception {
        return connect(client, uri, authorization, null);
    }

    /** @param subprotocol offered in Sec-WebSocket-Protocol (e.g. testsync.v1), or null */
    static Agent connect(HttpClient client, URI uri, String authorization, String subprotocol) throws Exception {
        Agent agent = new Agent();
        WebSocket.Builder b = client.newWebSocketBuilder();
        if (authorization != null) b.header("Authorization", authorization);
        if (subprotocol != null) b.subprotocols(subprotocol);
        agent.ws = b.buildAsync(uri, agent).get(10, TimeUnit.SECONDS);
        return agent;
    }

    Agent send(String frame) {
        ws.sendText(frame, true).join();
        return this;
    }

    /** The next message, failing the test when none arrives in 10 s. */
    Message next() throws InterruptedException {
        Message m = received.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }

    String nextText() throws InterruptedException {
        Message m = next();
        if (!m.isText()) throw new AssertionError("expected a text frame, got binary of " + m.binary().length + " bytes");
        return m.text();
    }

    byte[] nextBinary() throws InterruptedException {
        Message m = next();
        if (m.isText()) throw new AssertionError("expected a binary frame, got text " + m.text());
        return m.binary();
    }

    int awaitClose() throws Exception {
        return closeCode.get(15, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textPart.append(data);
        if (last) {
            received.add(new Message(textPart.toString(), null));
            textPart.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binaryPart.writeBytes(chunk);
        if (last) {
            received.add(new Message(null, binaryPart.toByteArray()));
            binaryPart.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        ws.abort();
    }
}
