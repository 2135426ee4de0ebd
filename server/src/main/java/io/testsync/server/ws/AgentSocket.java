package io.testsync.server.ws;

import io.testsync.server.runs.Member;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.Run;
import io.testsync.server.runs.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One agent's WebSocket connection. Everything it does runs on its own event loop ({@code ctx}):
 * frames are executed one after another in arrival order (SPEC §3), and a command that waits for
 * storage holds back the next one. Writes are bounded: a client that stops reading is closed.
 */
final class AgentSocket implements Member {
    private static final Logger log = LoggerFactory.getLogger(AgentSocket.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Frames waiting behind a slow command before we stop reading from the socket (TCP pushes back on the agent). */
    private static final int PAUSE_AT = 64;
    private static final int RESUME_AT = 16;

    private final String id = "c" + SEQUENCE.incrementAndGet();
    private final String testId;
    private final Context ctx;
    private final Scheduler clock;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private Run run;
    private ServerWebSocket ws;
    private boolean busy;
    private boolean paused;
    private boolean closing;
    private long lastSeen;
    private Runnable leave;

    AgentSocket(String testId, Context ctx, Scheduler clock) {
        this.testId = testId;
        this.ctx = ctx;
        this.clock = clock;
    }

    @Override
    public String id() {
        return id;
    }

    String testId() {
        return testId;
    }

    Run run() {
        return run;
    }

    long lastSeen() {
        return lastSeen;
    }

    /** Wires the upgraded socket; from here on frames flow. */
    void start(Run run, ServerWebSocket ws, Commands commands, Runnable onClosed) {
        this.run = run;
        this.ws = ws;
        this.lastSeen = clock.now();
        this.leave = onClosed;
        ws.textMessageHandler(text -> onText(text, commands));
        ws.binaryMessageHandler(bin -> {
            lastSeen = clock.now();
            sendText(Frames.error(null, ErrorCode.INVALID_MESSAGE.wire(), "",
                    "binary frames are not accepted: send commands as JSON text frames"));
        });
        ws.pongHandler(pong -> lastSeen = clock.now());
        ws.exceptionHandler(e -> log.debug("connection {} of run {}: {}", id, testId, e.toString()));
        ws.closeHandler(v -> {
            closing = true;
            queue.clear();
            leaveRun();
        });
    }

    private void onText(String text, Commands commands) {
        lastSeen = clock.now();
        if (closing) return;
        queue.add(text);
        if (!paused && queue.size() >= PAUSE_AT) {
            paused = true;
            ws.pause();
        }
        drain(commands);
    }

    private void drain(Commands commands) {
        while (!busy && !closing) {
            String frame = queue.poll();
            if (frame == null) break;
            CompletableFuture<Void> pending = commands.execute(this, frame);
            if (pending != null) {
                busy = true;
                // completed on ctx (see then()), so this continues on our own event loop
                pending.whenComplete((v, e) -> {
                    busy = false;
                    drain(commands);
                });
            }
        }
        if (paused && queue.size() <= RESUME_AT && !closing) {
            paused = false;
            ws.resume();
        }
    }

    /**
     * Runs {@code action} on this connection's event loop once {@code result} completes. Returns null
     * when it already ran (the result was ready), else a future completed after it ran.
     */
    <T> CompletableFuture<Void> then(CompletableFuture<T> result, BiConsumer<T, Throwable> action) {
        if (result.isDone()) {
            T value = null;
            Throwable failure = null;
            try {
                value = result.join();
            } catch (RuntimeException e) {
                failure = e.getCause() == null ? e : e.getCause();
            }
            action.accept(value, failure);
            return null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        result.whenComplete((value, failure) -> ctx.runOnContext(v -> {
            try {
                action.accept(value, failure);
            } finally {
                done.complete(null);
            }
        }));
        return done;
    }

    void sendText(String frame) {
        if (writable()) ws.writeTextMessage(frame);
    }

    void sendBinary(byte[] bytes) {
        if (writable()) ws.writeBinaryMessage(Buffer.buffer(bytes));
    }

    private boolean writable() {
        if (closing || ws == null) return false;
        if (ws.writeQueueFull()) {
            log.warn("closing connection {} of run {}: it stopped reading and its outgoing queue is full (limits.max_queued_bytes)", id, testId);
            close(1008, "client stopped reading: outgoing queue full");
            return false;
        }
        return true;
    }

    /**
     * Closes with {@code code}; earlier replies are already queued ahead of the close frame. The agent
     * leaves its run at once: a peer that stopped answering may never finish the closing handshake,
     * and must not count meanwhile (SPEC §3).
     */
    void close(int code, String reason) {
        if (closing) return;
        closing = true;
        queue.clear();
        ws.close((short) code, reason);
        leaveRun();
    }

    private void leaveRun() {
        Runnable once = leave;
        leave = null;
        if (once != null) once.run();
    }

    /** Pings, or closes a connection that has been silent past the deadline. Called on ctx. */
    void heartbeat(long now, long deadlineMs) {
        if (closing) return;
        if (now - lastSeen > deadlineMs) {
            log.info("closing connection {} of run {}: no answer to pings for {} ms", id, testId, now - lastSeen);
            close(1001, "no pong received");
        } else {
            ws.writePing(Buffer.buffer());
        }
    }

    @Override
    public void release(Release release, Object joinToken) {
        if (Vertx.currentContext() == ctx) {
            sendText(Frames.release((String) joinToken, release, clock.now()));
        } else {
            ctx.runOnContext(v -> sendText(Frames.release((String) joinToken, release, clock.now())));
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " of run " + testId;
    }
}
