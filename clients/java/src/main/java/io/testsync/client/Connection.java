package io.testsync.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code testsync.v1} WebSocket: sends envelopes with fresh numeric ids, matches each reply to
 * its call by the echoed id, routes {@code message} frames to subscriptions, and, when the socket
 * ends for any reason, fails every pending call at once. It never reopens itself.
 */
final class Connection {
    static final String PROTOCOL = "testsync.v1";
    private static final System.Logger log = System.getLogger(Connection.class.getName());

    /** A call waiting for its reply. */
    private static final class Pending {
        final String command;
        final CompletableFuture<Inbound> reply = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Pending(String command) {
            this.command = command;
        }
    }

    private final URI uri;
    private final Duration requestTimeout;
    /**
     * The server pings every 10 s (SPEC §3): a connection that has heard nothing, not even a ping, for
     * this long is dead even if TCP has not noticed (a peer gone without a reset), and is ended.
     */
    private final Duration silence;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
    private volatile WebSocket ws;
    private volatile TestSyncException endedBy;
    private volatile boolean closing;
    private final FrameReader reader = new FrameReader(this);
    private volatile ScheduledFuture<?> watchdog;

    private Connection(URI uri, Duration requestTimeout, Duration silence) {
        this.uri = uri;
        this.requestTimeout = requestTimeout;
        this.silence = silence;
    }

    /** Opens the WebSocket, offers {@code testsync.v1}, and completes once the welcome frame is read. */
    static CompletableFuture<Connection> open(URI uri, Options options) {
        Connection c = new Connection(uri, options.requestTimeout(), options.silenceTimeout());
        HttpClient http = options.httpClient() != null ? options.httpClient() : Threads.http();
        WebSocket.Builder b = http.newWebSocketBuilder().subprotocols(PROTOCOL).connectTimeout(options.connectTimeout());
        if (options.username() != null) b.header("Authorization", Endpoints.basic(options.username(), options.password()));
        ScheduledFuture<?> deadline = Threads.timer().schedule(() -> c.welcomeLate(options.connectTimeout()),
                options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return b.buildAsync(uri, c.reader)
                .handle((ws, error) -> {
                    if (error != null) throw Handshake.failure(uri, error);
                    c.ws = ws;
                    if (!PROTOCOL.equals(ws.getSubprotocol())) {
                        ws.abort();
                        throw new TestSyncException(TestSyncException.PROTOCOL_ERROR, "", "the server at " + uri
                                + " did not select " + PROTOCOL + " (it speaks only the original protocol): upgrade the TestSync server");
                    }
                    return c;
                })
                .thenCompose(conn -> conn.welcome)
                .whenComplete((w, e) -> deadline.cancel(false))
                .thenApply(w -> c.watch());
    }

    private Connection watch() {
        long every = Math.min(TimeUnit.SECONDS.toNanos(5), silence.toNanos() / 4);
        watchdog = Threads.timer().scheduleWithFixedDelay(this::checkSilence, every, every, TimeUnit.NANOSECONDS);
        if (endedBy != null) watchdog.cancel(false);
        return this;
    }

    private void checkSilence() {
        if (System.nanoTime() - reader.lastHeardNanos() < silence.toNanos()) return;
        end(lost(-1, "", "nothing heard from the server for " + silence.toMillis() + " ms, not even its ping every 10 s"
                + " (Options.silenceTimeout)", null));
        WebSocket w = ws;
        if (w != null) w.abort();
    }

    private void welcomeLate(Duration timeout) {
        if (welcome.isDone()) return;
        TestSyncException e = new TestSyncException(TestSyncException.CONNECT_FAILED, "", "no welcome frame from " + uri
                + " within " + timeout.toMillis() + " ms (Options.connectTimeout)");
        welcome.completeExceptionally(e);
        WebSocket w = ws;
        if (w != null) w.abort();
    }

    Welcome welcome() {
        return welcome.getNow(null);
    }

    URI uri() {
        return uri;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Why this connection is unusable, or null while it is open. */
    TestSyncException endedBy() {
        return endedBy;
    }

    /**
     * Sends {@code frame} (which carries {@code id}) and returns its reply, completed on the reading
     * thread. {@code guard}: when no reply came by then the call fails with {@code timeout}; null waits
     * until the reply or the end of the connection.
     */
    CompletableFuture<Inbound> call(String command, long id, String frame, Duration guard) {
        Pending p = new Pending(command);
        pending.put(id, p);
        TestSyncException gone = endedBy;
        if (gone != null) {
            fail(id, gone);
            return p.reply;
        }
        if (guard != null) p.timer = Threads.timer().schedule(() -> timedOut(id, guard), guard.toNanos(), TimeUnit.NANOSECONDS);
        send(frame).whenComplete((x, e) -> {
            if (e == null) return;
            end(lost(-1, "", "sending " + command + " failed: " + Await.unwrapCause(e), e));
            ws.abort();
        });
        return p.reply;
    }

    /** {@link #call} for a command the server answers at once: bounded by {@link Options#requestTimeout}. */
    CompletableFuture<Inbound> request(String command, long id, String frame) {
        return call(command, id, frame, requestTimeout);
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    void track(long id, Subscription s) {
        subscriptions.put(id, s);
    }

    void untrack(long id) {
        subscriptions.remove(id);
    }

    private CompletableFuture<?> send(String text) {
        synchronized (sendLock) {
            // the JDK allows one outstanding send per WebSocket: each frame goes once the previous one is written
            CompletableFuture<?> next = sendTail.handle((x, e) -> null).thenCompose(x -> ws.sendText(text, true));
            sendTail = next;
            return next;
        }
    }

    private void timedOut(long id, Duration guard) {
        Pending p = pending.remove(id);
        if (p == null) return;
        p.reply.completeExceptionally(new TestSyncException(TestSyncException.TIMEOUT, p.command, p.command
                + ": no answer from " + uri + " within " + guard.toMillis() + " ms; the connection stays open"));
    }

    private void fail(long id, TestSyncException cause) {
        Pending p = pending.remove(id);
        if (p == null) return;
        if (p.timer != null) p.timer.cancel(false);
        p.reply.completeExceptionally(cause instanceof ConnectionLostException c ? c.forCommand(p.command) : cause);
    }

    /**
     * Closes gracefully: the {@code close} command makes the server send every reply still due, then
     * close with 1000. Calls still waiting (checkpoints, locks) then fail with {@code closed}.
     */
    void close(Duration wait) {
        closing = true;
        WebSocket w = ws;
        if (endedBy == null && w != null) {
            long id = nextId();
            send(Outbound.frame("close", id, null));
            try {
                ended.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // the server did not close in time: drop the socket, below
            }
        }
        end(closed());
        if (w != null) w.abort();
    }

    // ---- from the FrameReader: the JDK's callbacks, one at a time ----

    void opened(WebSocket webSocket) {
        ws = webSocket;
    }

    void closedByServer(int statusCode, String reason) {
        end(closing ? closed() : lost(statusCode, reason, "the server closed the connection with code " + statusCode + " ("
                + CloseCodes.describe(statusCode, reason) + ")", null));
    }

    void broke(Throwable error) {
        end(closing ? closed() : lost(-1, "", "the connection broke (" + error + ")", error));
    }

    private static TestSyncException closed() {
        return new TestSyncException(TestSyncException.CLOSED, "", "the client was closed (close() or reconnect())");
    }

    private ConnectionLostException lost(int code, String reason, String what, Throwable cause) {
        return new ConnectionLostException(TestSyncException.CONNECTION_LOST, "", "connection to " + uri + " lost: " + what
                + "; pending calls failed, call reconnect() to go on", code, reason, cause);
    }

    /** One whole text message, and when its first part arrived. */
    void dispatch(String text, long receivedAtNanos) {
        Inbound in;
        try {
            in = Inbound.parse(text, receivedAtNanos);
        } catch (TestSyncException e) {
            log.log(System.Logger.Level.WARNING, e.getMessage());
            return;
        }
        switch (in.command()) {
            case "welcome" -> {
                try {
                    welcome.complete(Replies.welcome(in.content()));
                } catch (TestSyncException e) {
                    welcome.completeExceptionally(e);
                }
            }
            case "message" -> {
                Subscription s = subscriptions.get(in.id());
                if (s != null) s.deliver(in);
            }
            default -> {
                Pending p = in.id() < 0 ? null : pending.remove(in.id());
                if (p == null) {
                    if ("error".equals(in.command())) log.log(System.Logger.Level.WARNING, "error frame from " + uri + ": " + text);
                    return; // a late reply to a call that already timed out
                }
                if (p.timer != null) p.timer.cancel(false);
                if ("error".equals(in.command())) p.reply.completeExceptionally(Replies.error(in.content()));
                else p.reply.complete(in);
            }
        }
    }

    /** The socket is gone (or unusable): every pending call, the welcome and every subscription fail with {@code cause}. */
    private void end(TestSyncException cause) {
        synchronized (this) {
            if (endedBy != null) return;
            endedBy = cause;
        }
        ScheduledFuture<?> w0 = watchdog;
        if (w0 != null) w0.cancel(false);
        welcome.completeExceptionally(cause);
        for (Long id : pending.keySet()) fail(id, cause);
        for (Subscription s : subscriptions.values()) s.end(cause);
        subscriptions.clear();
        ended.complete(null);
    }
}
