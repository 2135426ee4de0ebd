package io.testsync.server.wire;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Ends HTTP exchanges with the SPEC §2 JSON error shape. */
public final class Replies {
    public static final String JSON = "application/json";

    private Replies() {}

    public static void error(HttpServerRequest req, int status, String message) {
        HttpServerResponse res = req.response();
        if (res.ended() || res.closed()) return;
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Json.error(status, message));
    }

    public static void methodNotAllowed(HttpServerRequest req, String allow) {
        req.response().putHeader(HttpHeaders.ALLOW, allow);
        error(req, 405, "method " + req.method() + " is not allowed on " + req.path() + "; allowed: " + allow);
    }
}
