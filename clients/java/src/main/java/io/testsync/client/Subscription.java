package io.testsync.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A topic this connection follows: its handler receives every message with seq from {@code fromSeq}
 * on, replayed ones first, in seq order, one at a time, on a client thread (not the one reading the
 * socket, so the handler may call the client). {@link #close()} unsubscribes; a connection loss
 * ends it ({@link #ended()} then fails with the cause).
 */
public final class Subscription implements AutoCloseable {
    private static final System.Logger log = System.getLogger(Subscription.class.getName());

    private final Connection connection;
    private final long id;
    private final String topic;
    private final Consumer<Message> handler;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Queue<Message> queue = new ArrayDeque<>();
    private boolean draining; // guarded by queue
    private volatile boolean closed;
    private volatile long lastSeq;

    Subscription(Connection connection, long id, String topic, Consumer<Message> handler) {
        this.connection = connection;
        this.id = id;
        this.topic = topic;
        this.handler = handler;
    }

    /** The topic followed. */
    public String topic() {
        return topic;
    }

    /** The seq of the last message handed to the handler; 0 before the first. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Completes when the subscription ends: normally after {@link #close()}, exceptionally when the connection is lost. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Unsubscribes and waits for the server's confirmation; no message is handed over after it returns. Idempotent. */
    @Override
    public void close() {
        Await.result(closeAsync());
    }

    /** {@link #close()} without blocking. */
    public CompletableFuture<Void> closeAsync() {
        if (closed) return ended.handle((x, e) -> null);
        closed = true;
        if (connection.endedBy() != null) return ended.handle((x, e) -> null);
        long callId = connection.nextId();
        return connection.request("unsubscribe", callId, Outbound.frame("unsubscribe", callId, Outbound.name("topic", topic)))
                .handle((in, e) -> {
                    connection.untrack(id);
                    ended.complete(null);
                    Throwable t = e == null ? null : Await.unwrapCause(e);
                    // a connection already gone has ended the subscription on the server side too
                    if (t != null && !(t instanceof ConnectionLostException)
                            && !(t instanceof TestSyncException ts && TestSyncException.CLOSED.equals(ts.code()))) {
                        throw Await.unwrap(t);
                    }
                    return null;
                });
    }

    /** A {@code message} frame for this subscription, from the reading thread. */
    void deliver(Inbound in) {
        if (closed) return;
        Message m;
        try {
            m = Replies.message(in.content());
        } catch (TestSyncException e) {
            log.log(System.Logger.Level.WARNING, "subscription " + topic + ": " + e.getMessage());
            return;
        }
        synchronized (queue) {
            queue.add(m);
            if (draining) return;
            draining = true;
        }
        Threads.callbacks().execute(this::drain);
    }

    /** Hands queued messages to the handler one after another, in arrival (seq) order. */
    private void drain() {
        while (true) {
            Message m;
            synchronized (queue) {
                m = queue.poll();
                if (m == null || closed) {
                    queue.clear();
                    draining = false;
                    return;
                }
            }
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "subscription " + topic + ": the handler failed on seq " + m.seq(), e);
            }
            lastSeq = m.seq();
        }
    }

    /** The connection ended. */
    void end(TestSyncException cause) {
        closed = true;
        ended.completeExceptionally(cause);
    }
}
