package io.testsync.e2e;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One test agent on the WebSocket: sends frames and queues everything it receives (text, binary,
 * close) in arrival order, so a step can await "the next frame" with a timeout and compare it
 * exactly. Pongs are answered by the JDK client itself.
 */
final class Agent implements WebSocket.Listener {

    private final String name;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partialText = new StringBuilder();
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    private volatile Frame last; // Closed or Broken: every later await gets it at once
    private WebSocket socket;

    private Agent(String name) {
        this.name = name;
    }

    /** Opens a connection with {@code Authorization} set; fails the step when the upgrade is refused. */
    static Agent connect(HttpClient client, URI uri, String authorization, String name, Deadline deadline)
            throws StepFailure, InterruptedException {
        return connect(client, uri, authorization, name, null, deadline);
    }

    /** As {@link #connect(HttpClient, URI, String, String, Deadline)}, offering {@code subprotocol} when not null. */
    static Agent connect(HttpClient client, URI uri, String authorization, String name, String subprotocol, Deadline deadline)
            throws StepFailure, InterruptedException {
        Agent agent = new Agent(name);
        try {
            WebSocket.Builder builder = client.newWebSocketBuilder()
                    .header("Authorization", authorization)
                    .connectTimeout(deadline.remaining());
            if (subprotocol != null) {
                builder.subprotocols(subprotocol);
            }
            agent.socket = builder.buildAsync(uri, agent)
                    .get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StepFailure(name + ": expected the upgrade of " + uri + " to complete within "
                    + deadline.budget() + ", got no answer");
        } catch (ExecutionException e) {
            Throwable cause = Problems.unwrap(e);
            if (cause instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw StepFailure.expected("the upgrade of " + uri + " (" + name + ") to succeed",
                        "HTTP " + refused.getResponse().statusCode()
                                + (body instanceof String s && !s.isEmpty() ? " with " + Problems.preview(s) : ""));
            }
            throw new StepFailure(name + ": connecting to " + uri + " failed: " + Problems.describe(cause));
        }
        return agent;
    }

    String name() {
        return name;
    }

    /** The subprotocol the server selected; empty when none. */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Sends one text frame and waits until the client has written it. */
    void send(String text, Deadline deadline) throws StepFailure, InterruptedException {
        try {
            socket.sendText(text, true).get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StepFailure(name + ": could not send " + Problems.preview(text) + " within " + deadline.budget());
        } catch (ExecutionException e) {
            throw new StepFailure(name + ": sending " + Problems.preview(text) + " failed: " + Problems.describe(e)
                    + (last == null ? "" : "; " + last.describe()));
        }
    }

    /** The next frame received, in order; fails the step when none arrives before the deadline. */
    Frame next(String expecting, Deadline deadline) throws StepFailure, InterruptedException {
        Frame frame = frames.poll();
        if (frame == null && last != null) {
            return last;
        }
        if (frame == null) {
            frame = frames.poll(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        }
        if (frame == null) {
            throw StepFailure.expected(name + " to receive " + expecting,
                    "nothing within " + deadline.budget());
        }
        return frame;
    }

    /** Tears the connection down without a closing handshake (after a failure). */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
        partialText.append(data);
        if (lastPart) {
            frames.add(new Frame.Text(partialText.toString(), System.nanoTime()));
            partialText.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean lastPart) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partialBinary.writeBytes(chunk);
        if (lastPart) {
            frames.add(new Frame.Binary(partialBinary.toByteArray(), System.nanoTime()));
            partialBinary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // Returning null lets the JDK client answer the close at once, completing the handshake.
        end(new Frame.Closed(statusCode, reason, System.nanoTime()));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(new Frame.Broken(error, System.nanoTime()));
    }

    private void end(Frame frame) {
        frames.add(frame);
        last = frame;
    }
}
