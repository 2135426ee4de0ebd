package io.testsync.faults;

import io.testsync.testkit.ServerJar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A named agent on the JDK's WebSocket client that stamps every text message with the
 * {@link System#nanoTime()} of its arrival, so a test can bound how long after an event a frame came.
 * Connects with {@code ?agent=<name>}, and offers {@code testsync.v1} when asked to.
 */
final class StampedAgent implements WebSocket.Listener, AutoCloseable {
    /** A received text and when it arrived; {@code text} is null for the end of the connection. */
    record Stamped(long nanos, String text) {}

    final String name;
    private final BlockingQueue<Stamped> texts = new LinkedBlockingQueue<>();
    private final StringBuilder part = new StringBuilder();
    private WebSocket ws;

    private StampedAgent(String name) {
        this.name = name;
    }

    /** Connects to /register/{run}?agent={name}; with {@code v1} the testsync.v1 subprotocol is offered. */
    static StampedAgent connect(HttpClient client, ServerJar server, String run, String name, boolean v1) throws Exception {
        StampedAgent agent = new StampedAgent(name);
        URI uri = server.ws("/register/" + run + "?agent=" + name);
        WebSocket.Builder b = client.newWebSocketBuilder().header("Authorization", FaultServer.CREDENTIALS.authorization());
        if (v1) b.subprotocols("testsync.v1");
        agent.ws = b.buildAsync(uri, agent).get(20, TimeUnit.SECONDS);
        if (v1 && !"testsync.v1".equals(agent.ws.getSubprotocol())) {
            throw new AssertionError(name + ": the server did not select testsync.v1 (selected \"" + agent.ws.getSubprotocol() + "\")");
        }
        return agent;
    }

    StampedAgent send(String frame) throws Exception {
        ws.sendText(frame, true).get(20, TimeUnit.SECONDS);
        return this;
    }

    /** The next text message; fails when none arrives within 20 s or the connection ended. */
    Stamped next() throws InterruptedException {
        Stamped s = texts.poll(20, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError(name + ": no message within 20 s");
        if (s.text() == null) {
            texts.add(s);
            throw new AssertionError(name + ": the connection ended");
        }
        return s;
    }

    String nextText() throws InterruptedException {
        return next().text();
    }

    /**
     * A round trip: asks get_connection_count with {@code id} and returns the count; fails when any
     * other frame comes first. Every frame the server decided to send before it is therefore not due.
     */
    int roundTrip(String id) throws Exception {
        send("{\"command\":\"get_connection_count\",\"id\":\"" + id + "\"}");
        String reply = nextText();
        String head = "{\"command\":\"get_connection_count\",\"id\":\"" + id + "\",\"content\":{\"count\":";
        if (!reply.startsWith(head) || !reply.endsWith("}}")) {
            throw new AssertionError(name + ": expected the reply to get_connection_count " + id + " next, got " + reply);
        }
        return Integer.parseInt(reply.substring(head.length(), reply.length() - 2));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
            texts.add(new Stamped(System.nanoTime(), part.toString()));
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
        texts.add(new Stamped(System.nanoTime(), null));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        texts.add(new Stamped(System.nanoTime(), null));
    }

    /** Drops the connection without a close handshake. */
    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        ws.abort();
    }
}
