package io.testsync.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An agent on the JDK's WebSocket client (which answers pings by itself). Every text message it
 * receives is kept with a number from one sequence shared by all agents, so a test can tell what
 * arrived before what.
 */
final class WsAgent implements WebSocket.Listener, AutoCloseable {
    /** Orders events across agents: every received message and every {@link #mark()} draws from it. */
    static final AtomicLong SEQUENCE = new AtomicLong();

    /** A received text; {@code text} is null for the end of the connection (so a waiting reader wakes up at once). */
    record Message(long seq, String text) {}

    final BlockingQueue<Message> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder part = new StringBuilder();
    WebSocket ws;

    static WsAgent connect(HttpClient client, URI uri) throws Exception {
        WsAgent agent = new WsAgent();
        agent.ws = client.newWebSocketBuilder().header("Authorization", ServerJar.AUTHORIZATION)
                .buildAsync(uri, agent).get(20, TimeUnit.SECONDS);
        return agent;
    }

    static long mark() {
        return SEQUENCE.incrementAndGet();
    }

    WsAgent send(String frame) throws Exception {
        ws.sendText(frame, true).get(20, TimeUnit.SECONDS);
        return this;
    }

    /** The next text message; null when none arrives within the time given or the connection ended. */
    Message poll(long millis) throws InterruptedException {
        Message m = texts.poll(millis, TimeUnit.MILLISECONDS);
        if (m != null && m.text() == null) {
            texts.add(m); // the end stays the end for later polls
            return null;
        }
        return m;
    }

    Message next() throws InterruptedException {
        Message m = poll(20_000);
        if (m == null) throw new AssertionError(closed.isDone() ? "connection ended" : "no message within 20 s");
        return m;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
            texts.add(new Message(SEQUENCE.incrementAndGet(), part.toString()));
            part.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        texts.add(new Message(SEQUENCE.incrementAndGet(), null));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
        texts.add(new Message(SEQUENCE.incrementAndGet(), null));
    }

    /** Drops the connection without a close handshake, as a crashing agent does. */
    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        ws.abort();
    }
}
