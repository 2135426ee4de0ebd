package io.testsync.server.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Once a connection is a WebSocket, two handlers of its HTTP life only cost time on every frame:
 * the version check (no HTTP request arrives any more) and Vert.x's idle timeout, which notes the
 * time of every read and hangs a listener on every write. A WebSocket's liveness is its pings and
 * their deadline, so both are taken out of its pipeline.
 */
public final class UpgradedPipeline {
    /** The name Vert.x gives its idle-timeout handler. */
    static final String IDLE = "idle";

    private UpgradedPipeline() {
    }

    /** Call on the connection's event loop, after the upgrade succeeded. */
    public static void trim(HttpConnection conn) {
        if (!(conn instanceof ConnectionBase base)) return;
        var pipeline = base.channelHandlerContext().pipeline();
        if (pipeline.get(IDLE) != null) pipeline.remove(IDLE);
        HttpVersions.uninstall(pipeline);
    }
}
