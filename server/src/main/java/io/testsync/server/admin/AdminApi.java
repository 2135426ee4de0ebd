package io.testsync.server.admin;

import io.testsync.server.wire.Replies;
import io.testsync.server.metrics.HttpRoute;
import io.testsync.server.runs.TestIds;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;

/**
 * The management API (SPEC §10) under {@code /api/v1/}, its event stream and the live page under
 * {@code /ui/}: routing, auth, and turning {@link Fleet} outcomes into the §2 answers. The router
 * hands over every path {@link #route} claims.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final String RUNS = "/api/v1/runs";
    private static final String EVENTS = "/api/v1/events";

    private final Fleet fleet;
    private final AdminAuth auth;
    private final EventStreams events;
    private final UiAssets ui;
    private final long requestTimeoutMs;

    public AdminApi(Fleet fleet, AdminAuth auth, EventStreams events, UiAssets ui, long requestTimeoutMs) {
        this.fleet = fleet;
        this.auth = auth;
        this.events = events;
        this.ui = ui;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** The route label of a path this API serves, or null when it is not ours. */
    public HttpRoute route(String path) {
        if (path.equals("/api") || path.startsWith("/api/")) return HttpRoute.ADMIN;
        if (path.equals("/ui") || path.startsWith("/ui/")) return HttpRoute.UI;
        return null;
    }

    /** The admin credentials are refused on the agents' routes; true when this request was refused (answered). */
    public boolean refusedOnAgentRoute(HttpServerRequest req, boolean allowQuery) {
        return auth.refusedOnAgentRoute(req, allowQuery);
    }

    /** Ends the live page's event streams (server shutdown), so in-flight request draining does not wait for them. */
    public void closeStreams() {
        events.closeAll();
    }

    /** Answers a request for a path {@link #route} claimed. */
    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (route(path) == HttpRoute.UI) {
            if (auth.allows(req)) ui.serve(req);
            return;
        }
        AdminPath p = AdminPath.parse(path);
        if (p.kind() == AdminPath.Kind.NONE) {
            Replies.error(req, 404, "no route for " + req.method() + " " + path + "; the management API is "
                    + "GET /api/v1/runs, GET|DELETE /api/v1/runs/{testID}, POST /api/v1/runs/{testID}/checkpoints/{identifier}/release, "
                    + "DELETE /api/v1/runs/{testID}/agents/{connection}, GET /api/v1/events");
            return;
        }
        if (!p.kind().allows(req.method())) {
            Replies.methodNotAllowed(req, p.kind().allow());
            return;
        }
        if (!auth.allows(req) || !sameOrigin(req)) return;
        if (p.problem() != null) {
            Replies.error(req, 400, p.problem());
            return;
        }
        switch (p.kind()) {
            case RUNS -> answer(req, fleet.runs(), runs -> ok(req, AdminJson.runs(runs)));
            case EVENTS -> events.open(req, p.testId());
            case RUN -> {
                if (HttpMethod.DELETE.equals(req.method())) {
                    answer(req, fleet.delete(p.testId()), o -> done(req, o, p));
                } else {
                    answer(req, fleet.run(p.testId()), d -> d.ifPresentOrElse(detail -> ok(req, AdminJson.detail(detail)),
                            () -> Replies.error(req, 404, "no run '" + p.testId() + "': it has no agents, checkpoints or data on this server")));
                }
            }
            case RELEASE -> answer(req, fleet.release(p.testId(), p.name()), o -> done(req, o, p));
            case AGENT -> answer(req, fleet.kick(p.testId(), p.name()), o -> done(req, o, p));
            default -> throw new IllegalStateException("unrouted " + p.kind());
        }
    }

    /**
     * A web page on another origin must not make a logged-in operator's browser release or remove
     * runs (the browser would send the cached Basic credentials along): a changing request that
     * names another Origin is refused. Command-line clients send no Origin.
     */
    private static boolean sameOrigin(HttpServerRequest req) {
        if (HttpMethod.GET.equals(req.method())) return true;
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        String host = req.getHeader(HttpHeaders.HOST);
        if (origin == null || (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host)))) return true;
        Replies.error(req, 403, "cross-origin request refused: the management API changes runs only for its own page"
                + " (/ui/) or clients that send no Origin, such as `testsync ctl`");
        return false;
    }

    private static void done(HttpServerRequest req, Fleet.Outcome o, AdminPath p) {
        if (o.isDone()) {
            if (p.kind() == AdminPath.Kind.RELEASE) ok(req, AdminJson.released(o.count()));
            else req.response().setStatusCode(204).end();
            return;
        }
        String message = switch (o.missing()) {
            case RUN -> "no run '" + p.testId() + "' is held on this server";
            case CHECKPOINT -> "run '" + p.testId() + "' has no waiting checkpoint '" + p.name()
                    + "' (it never existed, completed, timed out or was released already)";
            case CONNECTION -> "run '" + p.testId() + "' has no connection '" + p.name()
                    + "'; GET /api/v1/runs/" + p.testId() + " lists its agents' connections";
        };
        Replies.error(req, 404, message);
    }

    private static void ok(HttpServerRequest req, byte[] json) {
        HttpServerResponse res = req.response();
        if (res.ended() || res.closed()) return;
        res.putHeader(HttpHeaders.CONTENT_TYPE, Replies.JSON).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(json));
    }

    /**
     * Continues on the request's event loop once the fleet answers; a fleet that does not answer in
     * time (Redis away) gets 503 as any request of SPEC §2, and a failure 500 without internals.
     */
    private <T> void answer(HttpServerRequest req, CompletionStage<T> result, java.util.function.Consumer<T> then) {
        Context ctx = Vertx.currentContext();
        long timer = ctx.owner().setTimer(requestTimeoutMs, id -> Replies.error(req, 503,
                "the server did not answer within " + requestTimeoutMs + " ms; try again"));
        result.whenComplete((value, failure) -> ctx.runOnContext(v -> {
            ctx.owner().cancelTimer(timer);
            if (req.response().ended()) return;
            if (failure != null) {
                log.error("management request {} {} failed", req.method(), req.path(), failure);
                Replies.error(req, 500, "internal error; the server log says why");
                return;
            }
            then.accept(value);
        }));
    }
}
