package io.testsync.server;

import io.testsync.server.metrics.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.CompletableFuture;

/**
 * What a server needs before it reads its configuration: the metrics registry and the event loops.
 * {@code main} begins them on a thread of its own ({@link #begin()}), so that Micrometer, Vert.x and
 * Netty load on the second core while the command line, Logback and the configuration load on
 * {@code main} (startup time, issue 8). Neither depends on the configuration.
 */
record Boot(ServerMetrics metrics, Vertx vertx) {

    /** Both, built here and now (in-process servers, tests). */
    static Boot now() {
        return new Boot(new ServerMetrics(), TestSyncServer.newVertx());
    }

    /** Both, built on a daemon thread "testsync-boot". */
    static CompletableFuture<Boot> begin() {
        return CompletableFuture.supplyAsync(() -> {
            Boot boot = now();
            // Netty's buffer classes are the next thing main would load (every static reply is a Buffer)
            Buffer.buffer(new byte[] {0});
            return boot;
        }, task -> {
            Thread thread = new Thread(task, "testsync-boot");
            thread.setDaemon(true);
            thread.start();
        });
    }
}
