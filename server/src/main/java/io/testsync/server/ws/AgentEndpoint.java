package io.testsync.server.ws;

import io.testsync.server.http.Replies;
import io.testsync.server.runs.Attach;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.runs.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
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

    private final RunRegistry registry;
    private final Commands commands;
    private final Scheduler clock;
    private final AgentSocket.Bounds bounds;
    private final Closer closer;
    private final io.testsync.server.metrics.Recorder metrics;
    private final Set<AgentSocket> sockets = new HashSet<>(); // touched only on this endpoint's event loop

    public AgentEndpoint(RunRegistry registry, io.testsync.server.store.DataStore store, Scheduler clock,
                         int maxDataBytes, int maxQueuedBytes, io.testsync.server.metrics.Recorder metrics, long closeGraceMs) {
        this.registry = registry;
        this.commands = new Commands(store, maxDataBytes, metrics);
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
        Context ctx = Vertx.currentContext();
        AgentSocket agent = new AgentSocket(testId, ctx, clock, bounds);
        Attach attach = registry.attach(testId, agent);
        if (attach instanceof Attach.Refused refused) {
            Replies.error(req, 503, "limit reached: " + refused.limit() + " is " + refused.value() + "; try again later or raise it");
            return;
        }
        var run = ((Attach.Attached) attach).run();
        req.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                registry.detach(run, agent);
                log.debug("upgrade of {} failed: {}", agent, upgraded.cause().toString());
                return;
            }
            var ws = upgraded.result();
            // the handshake bypasses the response, so the router's status count never sees this 101
            metrics.httpRequest(io.testsync.server.metrics.HttpRoute.REGISTER, 101);
            sockets.add(agent);
            agent.start(run, ws, commands, closer, () -> {
                sockets.remove(agent);
                registry.detach(run, agent);
                log.debug("{} closed", agent);
            });
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
