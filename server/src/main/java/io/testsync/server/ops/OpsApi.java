package io.testsync.server.ops;

import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.testsync.server.metrics.HttpRoute;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The operations endpoints: {@code /readyz} and {@code /version} (no credentials, like
 * {@code /health}: probes and dashboards must reach them) and {@code /metrics} (Prometheus text,
 * behind the credentials like the data API).
 */
public final class OpsApi {
    private static final String ALLOW = "GET, HEAD";
    private static final String READY_BODY = "{\"status\":\"ready\"}";

    private final Readiness readiness;
    private final String versionBody;
    private final Supplier<String> scrape;
    private final String metricsContentType;

    /**
     * @param scrape             the metrics in the text format of {@code metricsContentType}
     */
    public OpsApi(Readiness readiness, String version, Supplier<String> scrape, String metricsContentType) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.versionBody = "{\"version\":" + Json.quote(version) + "}";
        this.scrape = Objects.requireNonNull(scrape, "scrape");
        this.metricsContentType = Objects.requireNonNull(metricsContentType, "metricsContentType");
    }

    /** The route of a path this API serves, or null. */
    public HttpRoute route(String path) {
        return switch (path) {
            case "/readyz" -> HttpRoute.READYZ;
            case "/version" -> HttpRoute.VERSION;
            case "/metrics" -> HttpRoute.METRICS;
            default -> null;
        };
    }

    /**
     * Answers a request for a {@link #route} of this API. The method is checked first, then, for
     * {@code /metrics} only, {@code authorize}, which answers a refusal itself.
     */
    public void handle(HttpServerRequest req, HttpRoute route, Predicate<HttpServerRequest> authorize) {
        if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
            Replies.methodNotAllowed(req, ALLOW);
            return;
        }
        switch (route) {
            case READYZ -> readyz(req);
            case VERSION -> json(req.response(), 200, versionBody);
            case METRICS -> {
                if (authorize.test(req)) {
                    req.response().putHeader(HttpHeaders.CONTENT_TYPE, metricsContentType).end(scrape.get());
                }
            }
            default -> throw new IllegalArgumentException("not an operations route: " + route);
        }
    }

    private void readyz(HttpServerRequest req) {
        var ready = readiness.check();
        if (ready.isDone()) {
            answerReadiness(req, ready.join());
            return;
        }
        Context ctx = Vertx.currentContext();
        ready.thenAccept(r -> ctx.runOnContext(v -> answerReadiness(req, r)));
    }

    private static void answerReadiness(HttpServerRequest req, boolean ready) {
        HttpServerResponse res = req.response();
        if (res.ended() || res.closed()) return;
        if (ready) {
            json(res, 200, READY_BODY);
        } else {
            // No internals: the cause is in the server log, not in an unauthenticated answer.
            Replies.error(req, 503, "not ready: storage is not answering; the server log says why");
        }
    }

    private static void json(HttpServerResponse res, int status, String body) {
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Replies.JSON).end(body);
    }
}
