package io.testsync.server.http;

import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests the HTTP decoder could not read: answered with the SPEC §2 JSON error shape (Vert.x's own
 * answer has an empty body), then the connection is closed, since what follows on it cannot be
 * trusted to start a request. {@code 431} for a head over the header limit, {@code 414} for a request
 * line over its limit, {@code 400} for anything else malformed.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
    private static final Logger log = LoggerFactory.getLogger(InvalidRequests.class);

    private final int maxHeaderBytes;
    private final int maxRequestLineBytes;

    public InvalidRequests(int maxHeaderBytes, int maxRequestLineBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxRequestLineBytes = maxRequestLineBytes;
    }

    @Override
    public void handle(HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "request headers are larger than " + maxHeaderBytes + " bytes";
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "request line is longer than " + maxRequestLineBytes + " bytes";
        } else {
            status = 400;
            message = "malformed HTTP request";
        }
        log.debug("refused an unreadable request from {} with {}: {}", req.remoteAddress(), status, String.valueOf(cause));
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        Replies.error(req, status, message);
        req.connection().close();
    }
}
