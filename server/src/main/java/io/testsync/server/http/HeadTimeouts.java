package io.testsync.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Cuts off slowloris clients: a connection must deliver a whole request head within
 * {@code headTimeoutMs} of opening, and the next one within {@code keepAliveTimeoutMs} of the previous
 * answer, however slowly it trickles bytes in (an idle timeout alone is reset by every byte).
 * A request being served is not timed here (the 10 s request bound is); an upgraded WebSocket is
 * never timed again (its pings are). One instance per event loop; every method runs on it.
 */
public final class HeadTimeouts {
    private static final Logger log = LoggerFactory.getLogger(HeadTimeouts.class);

    private final Vertx vertx;
    private final long headTimeoutMs;
    private final long keepAliveTimeoutMs;
    /** Connections waiting for a request head, and their timer. Holds only armed timers: each ends by firing or being cancelled. */
    private final Map<HttpConnection, Long> waiting = new HashMap<>();

    public HeadTimeouts(Vertx vertx, long headTimeoutMs, long keepAliveTimeoutMs) {
        this.vertx = vertx;
        this.headTimeoutMs = headTimeoutMs;
        this.keepAliveTimeoutMs = keepAliveTimeoutMs;
    }

    /** For {@code HttpServer.connectionHandler}: a new connection has {@code headTimeoutMs} to send its first request head. */
    public void opened(HttpConnection conn) {
        arm(conn, headTimeoutMs, "its first request head");
        conn.closeHandler(v -> cancel(conn));
    }

    /** Wraps the request handler: a head arrived, so its timer stops; once answered, the next head is timed. */
    public Handler<HttpServerRequest> around(Handler<HttpServerRequest> handler) {
        return req -> {
            HttpConnection conn = req.connection();
            cancel(conn);
            // bodyEndHandler: fires once the answer is written; not for an upgrade to a WebSocket
            req.response().bodyEndHandler(v -> arm(conn, keepAliveTimeoutMs, "its next request head"));
            handler.handle(req);
        };
    }

    private void arm(HttpConnection conn, long timeoutMs, String what) {
        cancel(conn);
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (waiting.remove(conn, id)) {
                log.debug("closing connection from {}: {} did not arrive within {} ms", conn.remoteAddress(), what, timeoutMs);
                conn.close();
            }
        });
        waiting.put(conn, timer);
    }

    private void cancel(HttpConnection conn) {
        Long timer = waiting.remove(conn);
        if (timer != null) vertx.cancelTimer(timer);
    }
}
