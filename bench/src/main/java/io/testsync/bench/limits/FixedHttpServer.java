package io.testsync.bench.limits;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP limit: answers every request at once with 200 and the same fixed 64 bytes, whatever the
 * method or path (so also /health, which tells the bench it is up); Vert.x still reads and drops a
 * request's body. Nothing less can answer an HTTP request with Vert.x, so this bounds the server.
 */
public final class FixedHttpServer {
    /** 64 bytes, the size of the bodies the http scenario posts and reads back. */
    static final Buffer ANSWER = Buffer.buffer("{\"status\":\"ok\",\"padding\":\"0123456789abcdef0123456789abcdef0123\"}"
            .getBytes(StandardCharsets.US_ASCII));

    private FixedHttpServer() {
    }

    public static void main(String[] args) {
        LimitVerticles.serve(args, server -> server.requestHandler(req -> req.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ANSWER)));
    }
}
