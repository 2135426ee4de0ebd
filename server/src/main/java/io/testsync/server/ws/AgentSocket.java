package io.testsync.server.ws;

import io.testsync.server.runs.Member;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.MemberInfo;
import io.testsync.server.runs.Membership;
import io.testsync.server.runs.Scheduler;
import io.testsync.server.runs.TopicMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One agent's WebSocket connection. Everything it does runs on its own event loop ({@code ctx}):
 * frames are executed one after another in arrival order (SPEC §3), and a command that waits for
 * storage holds back the next one. Writes are bounded: a client that stops reading is closed.
 */
final class AgentSocket implements Member, Connection {
    private static final Logger log = LoggerFactory.getLogger(AgentSocket.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Frames waiting behind a slow command before we stop reading from the socket (TCP pushes back on the agent). */
    private static final int PAUSE_AT = 64;
    private static final int RESUME_AT = 16;

    private final long number = SEQUENCE.incrementAndGet();
    private final String id;
    private final String agent;
    private final String testId;
    private final Context ctx;
    private final Scheduler clock;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Bounds bounds;
    private final Outbox outbox;
    private Membership run;
    private ServerWebSocket ws;
    private Dispatcher commands;
    private Closer closer; // ends what this server decides to close, so the socket is really released
    private boolean busy;
    private boolean paused;
    private boolean closing;
    private boolean v1;
    private volatile String remote;
    private volatile long connectedAt;
    private long lastSeen;
    private Runnable leave;

    /**
     * What one connection may make the server hold (SPEC §7).
     *
     * @param maxMessageBytes largest message accepted from the agent (limits.max_data_bytes plus the envelope)
     * @param maxQueuedBytes  limits.max_queued_bytes: outgoing bytes held for an agent that does not read
     * @param largestReply    the largest frame one command can answer with
     */
    record Bounds(int maxMessageBytes, long maxQueuedBytes, long largestReply) {}

    /** @param agent the {@code ?agent=} name, or null: the server names it {@code agent-<n>} (SPEC §9.1) */
    AgentSocket(String idPrefix, String testId, String agent, Context ctx, Scheduler clock, Bounds bounds) {
        this.id = idPrefix + "c" + number;
        this.testId = testId;
        this.agent = agent != null ? agent : "agent-" + number;
        this.ctx = ctx;
        this.clock = clock;
        this.bounds = bounds;
        this.outbox = new Outbox(bounds.maxQueuedBytes(), bounds.largestReply());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public String testId() {
        return testId;
    }

    @Override
    public Membership run() {
        return run;
    }

    @Override
    public boolean v1() {
        return v1;
    }

    long lastSeen() {
        return lastSeen;
    }

    /**
     * What {@link #info} shows before the upgrade: a cluster node stores it when it admits the connection,
     * which is before the upgrade (SPEC §10 on §11). {@link #start} sets the upgraded socket's own values.
     */
    void arriving(String remoteAddress, boolean offersV1) {
        this.remote = remoteAddress;
        this.v1 = offersV1;
        this.connectedAt = clock.now();
    }

    /** Wires the upgraded socket; from here on frames flow. */
    void start(Membership run, ServerWebSocket ws, Dispatcher commands, Closer closer, Runnable onClosed) {
        this.closer = closer;
        this.run = run;
        this.v1 = Frames.V1.equals(ws.subProtocol());
        this.remote = String.valueOf(ws.remoteAddress());
        this.connectedAt = clock.now();
        this.ws = ws;
        this.commands = commands;
        this.lastSeen = clock.now();
        this.leave = onClosed;
        MessageAssembler messages = new MessageAssembler(bounds.maxMessageBytes(), new MessageAssembler.Sink() {
            @Override
            public void text(String message) {
                onText(message);
            }

            @Override
            public void binary(int length) {
                sendText(Frames.error(null, ErrorCode.INVALID_MESSAGE.wire(), "",
                        "binary frames are not accepted: send commands as JSON text frames"));
            }

            @Override
            public void refuse(int code, String reason) {
                log.info("closing connection {} of run {} with {}: {}", id, testId, code, reason);
                close(code, reason);
            }
        });
        ws.frameHandler(frame -> {
            lastSeen = clock.now(); // any frame, pongs included, shows the agent is there
            messages.frame(frame);
        });
        ws.pongHandler(pong -> lastSeen = clock.now()); // seen even while its commands are paused
        ws.exceptionHandler(e -> {
            if (e instanceof CorruptedWebSocketFrameException violation) {
                // Netty's decoder found a protocol violation (unmasked frame, reserved opcode or bits,
                // oversized control frame, frame over the size limit...): answer with its close code
                // (1002, 1009) rather than Vert.x's default 1000.
                log.info("closing connection {} of run {} with {}: {}", id, testId,
                        violation.closeStatus().code(), violation.getMessage());
                close(violation.closeStatus().code(), violation.closeStatus().reasonText());
            } else {
                log.debug("connection {} of run {}: {}", id, testId, e.toString());
            }
        });
        ws.closeHandler(v -> {
            closing = true;
            queue.clear();
            leaveRun();
        });
    }

    private void onText(String text) {
        if (closing) return;
        queue.add(text);
        if (!paused && queue.size() >= PAUSE_AT) {
            paused = true;
            ws.pause();
        }
        drain();
    }

    private void drain() {
        while (!busy && !closing && !outbox.backlogged()) {
            String frame = queue.poll();
            if (frame == null) break;
            CompletableFuture<Void> pending = commands.execute(this, frame);
            if (pending != null) {
                busy = true;
                // completed on ctx (see then()), so this continues on our own event loop
                pending.whenComplete((v, e) -> {
                    busy = false;
                    drain();
                });
            }
        }
        if (paused && queue.size() <= RESUME_AT && !closing) {
            paused = false;
            ws.resume();
        }
    }

    @Override
    public <T> CompletableFuture<Void> then(CompletionStage<T> stage, BiConsumer<T, Throwable> action) {
        CompletableFuture<T> result = stage.toCompletableFuture();
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

    @Override
    public void sendText(String frame) {
        if (closing || ws == null) return;
        int bytes = Outbox.utf8Length(frame);
        if (admit(bytes)) ws.writeTextMessage(frame).onComplete(done -> written(bytes));
    }

    @Override
    public void sendBinary(byte[] bytes) {
        if (closing || ws == null) return;
        int length = bytes.length;
        if (admit(length)) ws.writeBinaryMessage(Buffer.buffer(bytes)).onComplete(done -> written(length));
    }

    private boolean admit(int bytes) {
        if (outbox.admit(bytes)) return true;
        stoppedReading("its outgoing queue would pass limits.max_queued_bytes");
        return false;
    }

    /** A frame left for the network (or was dropped with the connection): commands held back for it may go on. */
    private void written(int bytes) {
        outbox.written(bytes);
        if (!busy && !closing && !queue.isEmpty() && !outbox.backlogged()) drain();
    }

    private void stoppedReading(String why) {
        log.warn("closing connection {} of run {} (1008): the client stopped reading; {} ({} bytes queued, limits.max_queued_bytes is {})",
                id, testId, why, outbox.queued(), outbox.max());
        close(1008, "client stopped reading: outgoing queue full");
    }

    /**
     * Closes with {@code code}; earlier replies are already queued ahead of the close frame. The agent
     * leaves its run at once: a peer that stopped answering may never finish the closing handshake,
     * and must not count meanwhile (SPEC §3).
     */
    @Override
    public void close(int code, String reason) {
        if (closing) return;
        closing = true;
        queue.clear();
        closer.close(ws, code, reason, this);
        if (paused) {
            // Read again (what arrives is dropped): a paused socket would not see the agent's close
            // frame or its hang-up, and the connection would linger until Vert.x's closing timeout.
            paused = false;
            ws.resume();
        }
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
            if (outbox.queued() > 0) {
                // our pings wait behind data it has not read: not gone, but not reading
                stoppedReading("it has read nothing, not even pings, for " + (now - lastSeen) + " ms");
            } else {
                log.info("closing connection {} of run {}: no answer to pings for {} ms", id, testId, now - lastSeen);
                close(1001, "no pong received");
            }
        } else {
            ws.writePing(Buffer.buffer());
        }
    }

    @Override
    public void release(Release release, String replyId) {
        // start_in_ms is measured when the frame is written, on this connection's own loop (SPEC §4)
        onLoop(() -> sendText(Frames.release(replyId, release, clock.now())));
    }

    @Override
    public void message(TopicMessage message, String replyId) {
        // Called under the run's lock: only queue, always, even from this loop, so that messages are
        // written in the order they were handed over (seq order) and after the subscribe's replay.
        ctx.runOnContext(v -> sendText(Frames.message(replyId, message)));
    }

    @Override
    public void lockGranted(String name, long fence, String replyId) {
        onLoop(() -> sendText(Frames.lockGranted(replyId, name, fence)));
    }

    @Override
    public void lockTimedOut(String name, String replyId) {
        onLoop(() -> sendText(Frames.lockTimedOut(replyId, name)));
    }

    @Override
    public void disconnect(int code, String reason) {
        onLoop(() -> close(code, reason));
    }

    @Override
    public MemberInfo info() {
        return new MemberInfo(id, agent, remote, v1 ? Frames.V1 : "seed", connectedAt, null);
    }

    /** Deliveries come from whichever thread decided; frames are written on this connection's loop, in order. */
    private void onLoop(Runnable write) {
        if (Vertx.currentContext() == ctx) {
            write.run();
        } else {
            ctx.runOnContext(v -> write.run());
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " (" + agent + ") of run " + testId;
    }
}
