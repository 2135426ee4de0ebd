package io.testsync.server.ws;

import io.testsync.server.wire.Replies;
import io.testsync.server.config.Config;
import io.testsync.server.http.UpgradedPipeline;
import io.testsync.server.metrics.HttpRoute;
import io.testsync.server.metrics.Recorder;
import io.testsync.server.runs.Coordinator;
import io.testsync.server.store.DataStore;
import io.testsync.server.ws.commands.AllCommands;
import io.testsync.server.runs.Membership;
import io.testsync.server.runs.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /register/{testID}} on one event loop: admits an authorized agent into its run (or
 * refuses with 503 before the upgrade when a limit is reached), upgrades, and keeps the loop's
 * connections for the heartbeat and for shutdown.
 */
public final class AgentEndpoint {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    /** Room for the envelope around a content value at the data limit ({@code {"command":"update_data","content":...}}). */
    public static final int ENVELOPE_SLACK = 64 * 1024;
    private static final AtomicBoolean queryAuthWarned = new AtomicBoolean();
    private static final int HEARTBEAT_SLICE = 250;

    private final Coordinator coordinator;
    private final Dispatcher commands;
    private final Scheduler clock;
    private final AgentSocket.Bounds bounds;
    private final Closer closer;
    private final Recorder metrics;
    /** The welcome frame's limits object, the same for every connection. */
    private final String limits;
    private final Set<AgentSocket> sockets = new HashSet<>(); // touched only on this endpoint's event loop

    public AgentEndpoint(Coordinator coordinator, DataStore store, Scheduler clock, Config config, Recorder metrics, long closeGraceMs) {
        int maxDataBytes = config.limits().maxDataBytes();
        int maxQueuedBytes = config.limits().maxQueuedBytesPerConnection();
        this.coordinator = coordinator;
        this.commands = new Dispatcher(AllCommands.registry(store, config), metrics);
        this.limits = Welcome.limits(config);
        this.metrics = metrics;
        this.clock = clock;
        this.closer = new Closer(closeGraceMs);
        int maxMessageBytes = maxDataBytes + ENVELOPE_SLACK;
        // the largest reply: an error frame echoing a command name as long as a whole message
        this.bounds = new AgentSocket.Bounds(maxMessageBytes, maxQueuedBytes, maxMessageBytes + 1024L);
    }

    /** Called by the router for an authorized request with a valid ID. */
    public void register(HttpServerRequest req, String testId) {
        if (!req.canUpgradeToWebSocket()) {
            Replies.error(req, 400, "/register/" + testId + " is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)");
            return;
        }
        if (req.getHeader("Authorization") == null && req.getParam("password") != null) warnQueryCredentials();
        String name = req.getParam("agent");
        if (name != null && !AgentNames.valid(name)) {
            Replies.error(req, 400, "agent name " + AgentNames.shown(name) + " is not valid: use 1-128 characters from A-Z a-z 0-9 . _ - :");
            return;
        }
        Context ctx = Vertx.currentContext();
        AgentSocket agent = new AgentSocket(coordinator.connectionIdPrefix(), testId, name, ctx, clock, bounds);
        String offered = req.getHeader("Sec-WebSocket-Protocol");
        agent.arriving(String.valueOf(req.remoteAddress()), offered != null && offered.contains(Frames.V1));
        var admission = coordinator.admit(testId, agent).toCompletableFuture();
        if (admission.isDone()) {
            admitted(req, agent, admission);
        } else {
            req.pause(); // the upgrade waits for a remote decision (cluster mode)
            admission.whenComplete((a, failure) -> ctx.runOnContext(v -> {
                req.resume();
                admitted(req, agent, admission);
            }));
        }
    }

    private void admitted(HttpServerRequest req, AgentSocket agent, CompletableFuture<Coordinator.Admission> decided) {
        Coordinator.Admission admission;
        try {
            admission = decided.join();
        } catch (RuntimeException failure) {
            log.warn("admitting {} failed: {}", agent, String.valueOf(failure.getCause()));
            Replies.error(req, 500, "the server could not admit the connection; try again");
            return;
        }
        if (admission instanceof Coordinator.Admission.Refused refused) {
            Replies.error(req, 503, "limit reached: " + refused.limit() + " is " + refused.value() + "; try again later or raise it");
        } else {
            upgrade(req, agent, ((Coordinator.Admission.Admitted) admission).membership());
        }
    }

    private void upgrade(HttpServerRequest req, AgentSocket agent, Membership run) {
        req.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                run.leave();
                log.debug("upgrade of {} failed: {}", agent, upgraded.cause().toString());
                return;
            }
            var ws = upgraded.result();
            UpgradedPipeline.trim(req.connection());
            // the handshake bypasses the response, so the router's status count never sees this 101
            metrics.httpRequest(HttpRoute.REGISTER, 101);
            sockets.add(agent);
            agent.start(run, ws, commands, closer, () -> {
                sockets.remove(agent);
                run.leave();
                log.debug("{} closed", agent);
            });
            if (agent.v1()) agent.sendText(Welcome.frame(agent, clock.now(), limits));
            log.debug("{} connected from {}", agent, req.remoteAddress());
        });
    }

    /** Pings every connection of this loop and closes those silent past the deadline. Runs on this loop. */
    public void heartbeat(long deadlineMs) {
        heartbeat(new java.util.ArrayList<>(sockets), 0, clock.now(), deadlineMs);
    }

    /**
     * A slice of the loop's connections per turn: each ping is a write to its socket, and 5,000 of
     * them at once held up every other request of this loop for a few hundred ms. Between slices a
     * 1 ms timer lets the loop serve what is waiting.
     */
    private void heartbeat(java.util.List<AgentSocket> all, int from, long now, long deadlineMs) {
        int to = Math.min(all.size(), from + HEARTBEAT_SLICE);
        for (int i = from; i < to; i++) all.get(i).heartbeat(now, deadlineMs);
        if (to < all.size()) Vertx.currentContext().owner().setTimer(1, id -> heartbeat(all, to, now, deadlineMs));
    }

    /** Server shutdown (SPEC §1): every connection of this loop is closed with 1012, "service restart: reconnect". Runs on this loop. */
    public void closeAll() {
        for (AgentSocket s : new java.util.ArrayList<>(sockets)) s.close(1012, "server restart: reconnect");
    }

    private static void warnQueryCredentials() {
        if (queryAuthWarned.compareAndSet(false, true)) {
            log.warn("an agent passed credentials as ?username=&password= (deprecated: query strings leak into logs and proxies); "
                    + "send an Authorization: Basic header instead. Further uses are logged at DEBUG.");
        } else {
            log.debug("an agent passed credentials in the query string (deprecated)");
        }
    }
}
