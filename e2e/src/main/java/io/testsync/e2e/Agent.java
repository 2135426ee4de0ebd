package io.testsync.e2e;

import io.testsync.testkit.Received;
import io.testsync.testkit.WsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One test agent on the WebSocket: the test kit's {@link WsClient} (which queues everything it
 * receives, text, binary, close, in arrival order, and answers pings), with every wait bounded by a
 * step's {@link Deadline} and every failure said as a {@link StepFailure}.
 */
final class Agent {

    private final String name;
    private WsClient client;

    private Agent(String name) {
        this.name = name;
    }

    /** Opens a connection with {@code Authorization} set; fails the step when the upgrade is refused. */
    static Agent connect(HttpClient http, URI uri, String authorization, String name, Deadline deadline)
            throws StepFailure, InterruptedException {
        return connect(http, uri, authorization, name, null, deadline);
    }

    /** As {@link #connect(HttpClient, URI, String, String, Deadline)}, offering {@code subprotocol} when not null. */
    static Agent connect(HttpClient http, URI uri, String authorization, String name, String subprotocol, Deadline deadline)
            throws StepFailure, InterruptedException {
        Agent agent = new Agent(name);
        try {
            WsClient.Builder builder = WsClient.to(uri).client(http).authorization(authorization)
                    .connectTimeout(deadline.remaining());
            if (subprotocol != null) {
                builder.subprotocols(subprotocol);
            }
            agent.client = builder.connectAsync()
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
        return client.subprotocol();
    }

    /** Sends one text frame and waits until the client has written it. */
    void send(String text, Deadline deadline) throws StepFailure, InterruptedException {
        try {
            client.webSocket().sendText(text, true).get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StepFailure(name + ": could not send " + Problems.preview(text) + " within " + deadline.budget());
        } catch (ExecutionException e) {
            Received end = client.end();
            throw new StepFailure(name + ": sending " + Problems.preview(text) + " failed: " + Problems.describe(e)
                    + (end == null ? "" : "; " + Frame.of(end).describe()));
        }
    }

    /** The next frame received, in order (after the end, the end again); fails the step when none arrives before the deadline. */
    Frame next(String expecting, Deadline deadline) throws StepFailure, InterruptedException {
        Received r = client.poll(Duration.ofNanos(Math.max(0, deadline.remainingNanos())));
        if (r == null) {
            throw StepFailure.expected(name + " to receive " + expecting, "nothing within " + deadline.budget());
        }
        return Frame.of(r);
    }

    /** Tears the connection down without a closing handshake (after a failure). */
    void abort() {
        if (client != null) {
            client.abort();
        }
    }
}
