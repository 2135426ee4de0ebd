package io.testsync.server.http;

import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Set;

/** CORS for agents that are web pages (SPEC §2): preflights answered, origins from {@code cors.allowed_origins}. */
public final class Cors {
    private static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    private static final String HEADERS = "Authorization, Content-Type";

    private final boolean anyOrigin;
    private final Set<String> origins;

    public Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = Set.copyOf(allowedOrigins);
    }

    /** True when the request is a preflight, which this call has then answered. */
    public boolean handlePreflight(HttpServerRequest req) {
        if (!HttpMethod.OPTIONS.equals(req.method())) return false;
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) == null) return false;
        if (!allowed(origin)) {
            Replies.error(req, 403, "origin " + origin + " is not allowed; add it to cors.allowed_origins");
            return true;
        }
        HttpServerResponse res = req.response();
        allowOrigin(res, origin);
        res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600")
                .setStatusCode(204).end();
        return true;
    }

    /** Adds the allow-origin header to an actual (non-preflight) cross-origin request's response. */
    public void decorate(HttpServerRequest req) {
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && allowed(origin)) allowOrigin(req.response(), origin);
    }

    private boolean allowed(String origin) {
        return anyOrigin || origins.contains(origin);
    }

    private void allowOrigin(HttpServerResponse res, String origin) {
        if (anyOrigin) {
            res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, "Origin");
        }
    }
}
