package io.testsync.server.http;

import io.testsync.server.admin.AdminApi;
import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.testsync.server.metrics.HttpRoute;
import io.testsync.server.metrics.Recorder;
import io.testsync.server.ops.OpsApi;
import io.testsync.server.runs.TestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;

/**
 * Every request of one listener: CORS preflights, {@code /health}, the data API and the WebSocket
 * registration, each only where the listener serves it; 404/405 as JSON for everything else.
 * Hand-written rather than a framework router: four routes, and the JSON error shape and auth order
 * of SPEC §2 are ours to keep exact.
 */
public final class Router implements Handler<HttpServerRequest> {
    private static final Logger access = LoggerFactory.getLogger("io.testsync.access");
    private static final String HEALTH_BODY = "{\"status\":\"ok\"}";

    private final Auth auth;
    private final Cors cors;
    private final TestsApi tests;                                // null when this listener does not serve the API
    private final BiConsumer<HttpServerRequest, String> register; // null when this listener does not serve WebSockets
    private final long requestTimeoutMs;
    private final OpsApi ops;                                    // null when this listener does not serve /readyz, /version, /metrics
    private final Recorder metrics;
    private final AdminApi admin;                                // served with the data API; also refuses its credentials on agents' routes

    public Router(Auth auth, Cors cors, TestsApi tests, BiConsumer<HttpServerRequest, String> register, long requestTimeoutMs,
                  OpsApi ops, Recorder metrics, AdminApi admin) {
        this.auth = auth;
        this.cors = cors;
        this.tests = tests;
        this.register = register;
        this.requestTimeoutMs = requestTimeoutMs;
        this.ops = ops;
        this.metrics = metrics;
        this.admin = admin;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (access.isDebugEnabled()) {
            access.debug("{} {} {}", req.remoteAddress(), req.method(), Redact.uri(req.uri()));
        }
        String path = req.path();
        HttpRoute opsRoute;
        String badVersion = HttpVersions.unsupported(req);
        if (badVersion != null) {
            count(req, HttpRoute.OTHER);
            HttpVersions.refuse(req, badVersion);
        } else if (path.equals("/health")) {
            count(req, HttpRoute.HEALTH);
            health(req);
        } else if (tests != null && path.startsWith("/tests/")) {
            count(req, HttpRoute.TESTS);
            if (cors.handlePreflight(req)) return;
            cors.decorate(req);
            String id = path.substring("/tests/".length());
            if (id.indexOf('/') >= 0) {
                noRoute(req, path); // SPEC §7.1: nothing lives below /tests/{testID}/, whatever the method
                return;
            }
            if (!isOneOf(req.method(), HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
                Replies.methodNotAllowed(req, TestsApi.ALLOW);
                return;
            }
            if (authorized(req, false) && validId(req, id)) {
                tests.handle(req, id);
                if (!req.response().ended()) boundDuration(req);
            }
        } else if (register != null && path.startsWith("/register/")) {
            count(req, HttpRoute.REGISTER);
            if (!HttpMethod.GET.equals(req.method())) {
                Replies.methodNotAllowed(req, "GET");
                return;
            }
            String id = path.substring("/register/".length());
            if (authorized(req, true) && validId(req, id)) register.accept(req, id);
        } else if (tests != null && admin != null && (opsRoute = admin.route(path)) != null) {
            count(req, opsRoute);
            admin.handle(req);
        } else if (ops != null && (opsRoute = ops.route(path)) != null) {
            count(req, opsRoute);
            ops.handle(req, opsRoute, r -> authorized(r, false));
        } else {
            count(req, HttpRoute.OTHER);
            noRoute(req, path);
        }
    }

    private void noRoute(HttpServerRequest req, String path) {
        Replies.error(req, 404, "no route for " + req.method() + " " + path
                + (tests != null ? "; the API is /tests/{testID} and /health" : "; this port serves /register/{testID} and /health"));
    }

    /** Counts the exchange with the status it answers, whoever answers it; labels come from the route, never the path. */
    private void count(HttpServerRequest req, HttpRoute route) {
        if (metrics == Recorder.NONE) return;
        var res = req.response();
        res.headersEndHandler(v -> metrics.httpRequest(route, res.getStatusCode()));
    }

    /** SPEC §2: a request that cannot finish in time gets 503 instead of hanging its agent. */
    private void boundDuration(HttpServerRequest req) {
        Vertx vertx = Vertx.currentContext().owner();
        long timer = vertx.setTimer(requestTimeoutMs, id -> {
            if (req.response().ended()) return;
            req.response().putHeader(HttpHeaders.CONNECTION, "close");
            Replies.error(req, 503, "the request did not finish within " + requestTimeoutMs
                    + " ms (slow upload or storage); it may or may not have been applied, try again");
        });
        req.response().endHandler(v -> vertx.cancelTimer(timer));
        req.response().closeHandler(v -> vertx.cancelTimer(timer));
    }

    private void health(HttpServerRequest req) {
        if (!isOneOf(req.method(), HttpMethod.GET, HttpMethod.HEAD)) {
            Replies.methodNotAllowed(req, "GET, HEAD");
            return;
        }
        cors.decorate(req);
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, Replies.JSON).end(HEALTH_BODY);
    }

    private boolean authorized(HttpServerRequest req, boolean allowQuery) {
        Auth.Verdict verdict = auth.check(req, allowQuery);
        if (verdict == Auth.Verdict.ALLOWED) return admin == null || !admin.refusedOnAgentRoute(req, allowQuery);
        Auth.refuse(req, verdict);
        return false;
    }

    private static boolean validId(HttpServerRequest req, String id) {
        if (TestIds.isValid(id)) return true;
        Replies.error(req, 400, TestIds.problem(id));
        return false;
    }

    private static boolean isOneOf(HttpMethod m, HttpMethod... options) {
        for (HttpMethod o : options) if (o.equals(m)) return true;
        return false;
    }
}
