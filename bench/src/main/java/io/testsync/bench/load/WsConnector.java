package io.testsync.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Opens many WebSockets, each from its lane's context so that its handlers run there. Handshakes
 * are bounded in flight: thousands at once would only measure the listen backlog.
 */
public final class WsConnector implements AutoCloseable {
    /** Enough for a data frame of the scenarios plus envelope; the default 64 KiB would also do. */
    private static final int MAX_FRAME = 1 << 20;

    private final WebSocketClient client;
    private final Lanes lanes;

    public WsConnector(Vertx vertx, Lanes lanes) {
        this.lanes = lanes;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(100_000) // Vert.x otherwise queues connections beyond a small per-host number
                .setMaxFrameSize(MAX_FRAME)
                .setMaxMessageSize(MAX_FRAME)
                .setConnectTimeout(10_000)
                .setTcpNoDelay(true));
    }

    /**
     * Connects {@code count} sockets to {@code path.apply(i)}; socket i lives on lane
     * {@link Lanes#laneOf(int) laneOf(i)} and is set up by {@code setup} there, before any frame can
     * arrive. Returns them in index order, or throws naming the first failure.
     */
    public List<WebSocket> connect(Endpoint to, int count, IntFunction<String> path, int inFlight,
                                   Setup setup, long timeoutSeconds) {
        return connect(List.of(to), count, path, inFlight, setup, timeoutSeconds);
    }

    /**
     * As above, with the sockets dealt round robin over several endpoints (the nodes of a cluster):
     * socket i goes to {@code to.get(i % to.size())}, whatever lane it lives on.
     */
    public List<WebSocket> connect(List<Endpoint> to, int count, IntFunction<String> path, int inFlight,
                                   Setup setup, long timeoutSeconds) {
        if (to.isEmpty()) throw new IllegalArgumentException("no endpoint to connect to");
        String names = to.stream().map(Endpoint::name).collect(java.util.stream.Collectors.joining(", "));
        AtomicReferenceArray<WebSocket> sockets = new AtomicReferenceArray<>(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Semaphore window = new Semaphore(inFlight);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < count && failure.get() == null; i++) {
            acquire(window, deadline, names);
            int index = i;
            Endpoint target = to.get(i % to.size());
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost(target.host()).setPort(target.port()).setURI(path.apply(i))
                    .addHeader("Authorization", target.authorization());
            lanes.get(lanes.laneOf(i)).runOnContext(v -> client.connect(options).onComplete(ar -> {
                window.release();
                if (ar.succeeded() && failure.get() != null) {
                    ar.result().close(); // too late: the batch has failed and nobody will close it
                } else if (ar.succeeded()) {
                    setup.prepare(index, ar.result());
                    sockets.set(index, ar.result());
                } else {
                    failure.compareAndSet(null, ar.cause());
                }
                if (done.incrementAndGet() == count || failure.get() != null) all.complete(null);
            }));
        }
        Await.on(all, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS,
                "opening " + count + " WebSockets to " + names);
        List<WebSocket> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) result.add(sockets.get(i));
        if (failure.get() != null) {
            closeAll(result);
            throw new IllegalStateException("WebSocket to " + names + " failed: " + failure.get().getMessage(), failure.get());
        }
        return result;
    }

    /** Closes the sockets and waits, bounded, until they are closed. */
    public static void closeAll(List<WebSocket> sockets) {
        List<CompletableFuture<Void>> closing = new ArrayList<>(sockets.size());
        for (WebSocket ws : sockets) {
            if (ws != null && !ws.isClosed()) closing.add(ws.close().toCompletionStage().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // a socket that does not close cleanly is gone with the server anyway
        }
    }

    private static void acquire(Semaphore window, long deadline, String to) {
        try {
            if (!window.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("opening WebSockets to " + to + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening WebSockets", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Installs a socket's handlers, on its lane, as soon as it is open. */
    @FunctionalInterface
    public interface Setup {
        void prepare(int index, WebSocket ws);
    }
}
