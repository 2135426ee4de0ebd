package io.testsync.server.admin;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live page's push, {@code GET /api/v1/events} as Server-Sent Events. Changes are coalesced: the
 * fleet's notifications only mark runs dirty, and every {@link #FLUSH_MS} one {@code changes} event
 * carries the new summaries of the dirty runs and the ids of those removed, so a page patches its
 * list and refetches only the run it shows. Past {@link #MAX_ROWS} dirty runs it sends {@code resync}
 * instead (refetch the list): a fleet of 10,000 busy runs costs a stream a few events a second, never
 * a flood of rows.
 */
public final class EventStreams {
    static final long FLUSH_MS = 250;
    static final int MAX_ROWS = 500;
    /** A comment line now and then keeps idle proxies and the server's own idle timeout from closing the stream. */
    private static final long KEEPALIVE_MS = 15_000;
    private static final Buffer KEEPALIVE = Buffer.buffer(": keep-alive\n\n");

    private final Vertx vertx;
    private final Fleet fleet;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final long flushTimer;
    private final long keepaliveTimer;
    /** The fleet's notifications, taken only while a stream is open (a cluster's fleet polls Redis for them); guarded by this. */
    private AutoCloseable subscription;
    private final int maxRows;
    private boolean flushing; // only touched by the flush timer's context

    public EventStreams(Vertx vertx, Fleet fleet) {
        this(vertx, fleet, FLUSH_MS, MAX_ROWS);
    }

    /** With another flush period and bound, for tests. */
    EventStreams(Vertx vertx, Fleet fleet, long flushMs, int maxRows) {
        this.vertx = vertx;
        this.fleet = fleet;
        this.maxRows = maxRows;
        this.flushTimer = vertx.setPeriodic(flushMs, id -> flush());
        this.keepaliveTimer = vertx.setPeriodic(KEEPALIVE_MS, id -> streams.forEach(s -> s.send(KEEPALIVE)));
    }

    /** Starts a stream on this request; {@code run} is informational (the page filters by itself). */
    void open(HttpServerRequest req, String run) {
        HttpServerResponse res = req.response();
        res.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Accel-Buffering", "no");
        Stream s = new Stream(Vertx.currentContext(), res);
        streams.add(s);
        watch();
        res.closeHandler(v -> forget(s));
        res.endHandler(v -> forget(s));
        // The first event tells the page its stream is live: it fetches what it shows then, not before,
        // so no change can fall between its fetch and its subscription.
        s.send(Buffer.buffer("retry: 2000\nevent: ready\ndata: {}\n\n"));
    }

    private synchronized void watch() {
        if (subscription == null) subscription = fleet.onChange(id -> {
            if (!streams.isEmpty()) dirty.add(id);
        });
    }

    private void forget(Stream s) {
        streams.remove(s);
        synchronized (this) {
            if (streams.isEmpty()) unwatch();
        }
    }

    private synchronized void unwatch() {
        if (subscription == null) return;
        try {
            subscription.close();
        } catch (Exception ignored) {
            // a listener registration has nothing to fail
        }
        subscription = null;
    }

    /** Sends what changed since the last flush; runs on an event loop (the timer's, or a test's). */
    void flush() {
        if (flushing || dirty.isEmpty()) return;
        if (streams.isEmpty()) {
            dirty.clear();
            return;
        }
        Set<String> ids = new HashSet<>();
        for (var it = dirty.iterator(); it.hasNext(); ) {
            ids.add(it.next());
            it.remove();
        }
        if (ids.size() > maxRows) {
            broadcast(Buffer.buffer("event: resync\ndata: {}\n\n"));
            return;
        }
        flushing = true;
        Context ctx = Vertx.currentContext();
        fleet.runs(ids).whenComplete((rows, failure) -> ctx.runOnContext(v -> {
            flushing = false;
            if (failure != null) {
                broadcast(Buffer.buffer("event: resync\ndata: {}\n\n"));
                return;
            }
            Set<String> removed = new HashSet<>(ids);
            for (RunSummary r : rows) removed.remove(r.id());
            broadcast(event("changes", AdminJson.changes(rows, List.copyOf(removed))));
        }));
    }

    private static Buffer event(String name, byte[] json) {
        return Buffer.buffer("event: " + name + "\ndata: ").appendBytes(json).appendString("\n\n");
    }

    private void broadcast(Buffer event) {
        for (Stream s : streams) s.send(event);
    }

    /** Ends every stream; idempotent. */
    void closeAll() {
        vertx.cancelTimer(flushTimer);
        vertx.cancelTimer(keepaliveTimer);
        unwatch();
        for (Stream s : streams) s.end();
        streams.clear();
    }

    /** Streams open now (for tests). */
    int open() {
        return streams.size();
    }

    /** One page's stream, written only on its own event loop. */
    private record Stream(Context ctx, HttpServerResponse res) {
        void send(Buffer event) {
            ctx.runOnContext(v -> {
                if (res.ended() || res.closed()) return;
                if (res.writeQueueFull()) {
                    // a page that does not read gets no backlog: it reconnects and refetches
                    res.reset();
                    return;
                }
                res.write(event.copy());
            });
        }

        void end() {
            ctx.runOnContext(v -> {
                if (!res.ended() && !res.closed()) res.end();
            });
        }
    }
}
