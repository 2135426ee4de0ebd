package io.testsync.server.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a connection is a WebSocket, what its HTTP life left behind only costs: two handlers cost
 * time on every frame, the version check (no HTTP request arrives any more) and Vert.x's idle
 * timeout, which notes the time of every read and hangs a listener on every write (a WebSocket's
 * liveness is its pings and their deadline); and two references keep the whole HTTP connection
 * alive for as long as the WebSocket lives, its request, response, headers and write queue (about
 * 2.5 KB a connection): Vert.x's guard against frames that arrive before the upgrade completes,
 * which takes itself out only when the first frame arrives (an idle agent never sends one), and the
 * factory that created the WebSocket's connection handler, which it keeps after using it once.
 */
public final class UpgradedPipeline {
    private static final Logger log = LoggerFactory.getLogger(UpgradedPipeline.class);

    /** The name Vert.x gives its idle-timeout handler. */
    static final String IDLE = "idle";
    /** The name Vert.x gives the handler that drops frames arriving before the upgrade completes. */
    static final String UNSOLICITED = "unsolicitedMessageHandler";

    /** {@code VertxHandler.connectionFactory}, or null when this Vert.x has no such field (then nothing is released). */
    private static final Field CONNECTION_FACTORY = connectionFactoryField();

    private UpgradedPipeline() {
    }

    /** Call on the connection's event loop, after the upgrade succeeded. */
    public static void trim(HttpConnection conn) {
        if (!(conn instanceof ConnectionBase base)) return;
        var pipeline = base.channelHandlerContext().pipeline();
        if (pipeline.get(IDLE) != null) pipeline.remove(IDLE);
        // what it would do itself on the first frame: the WebSocket's own handler is in place now
        if (pipeline.get(UNSOLICITED) != null) pipeline.remove(UNSOLICITED);
        HttpVersions.uninstall(pipeline);
        releaseFactory(pipeline.get(VertxHandler.class));
    }

    /** The factory is read only when the handler is added to a pipeline, which has happened. */
    private static void releaseFactory(VertxHandler<?> handler) {
        if (handler == null || CONNECTION_FACTORY == null) return;
        try {
            CONNECTION_FACTORY.set(handler, null);
        } catch (IllegalAccessException e) {
            log.debug("cannot release the upgrade's connection factory: {}", e.toString());
        }
    }

    private static Field connectionFactoryField() {
        try {
            Field field = VertxHandler.class.getDeclaredField("connectionFactory");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            log.debug("VertxHandler has no connection factory to release: {}", e.toString());
            return null;
        }
    }
}
