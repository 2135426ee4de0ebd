package io.testsync.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The JDK's listener for one {@link Connection}: joins the parts of each text message, notes when
 * it arrived and when anything was last heard, and hands whole messages and endings over. The JDK
 * calls it one callback at a time, so its fields need no locking.
 */
final class FrameReader implements WebSocket.Listener {
    private final Connection connection;
    private final StringBuilder part = new StringBuilder();
    private boolean inMessage;
    private long messageStartedNanos;
    private volatile long lastHeardNanos = System.nanoTime();

    FrameReader(Connection connection) {
        this.connection = connection;
    }

    /** {@link System#nanoTime()} of the last frame of any kind, pings included. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        connection.opened(webSocket);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime(); // first thing: resuming after a release counts from its arrival
        lastHeardNanos = now;
        if (!inMessage) {
            messageStartedNanos = now;
            inMessage = true;
        }
        if (last && part.length() == 0) {
            connection.dispatch(data.toString(), messageStartedNanos);
        } else {
            part.append(data);
            if (last) {
                connection.dispatch(part.toString(), messageStartedNanos);
                part.setLength(0);
            }
        }
        if (last) inMessage = false;
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        // testsync.v1 answers everything with text frames; a binary one is ignored rather than fatal
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastHeardNanos = System.nanoTime(); // the JDK answers with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        connection.closedByServer(statusCode, reason);
        return null; // the JDK answers the close frame at once
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        connection.broke(error);
    }
}
