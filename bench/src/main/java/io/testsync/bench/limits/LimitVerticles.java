package io.testsync.bench.limits;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.VerticleBase;

import java.util.function.Consumer;

/**
 * How both limit servers run: the same shape as the TestSync server (one event loop per core, one
 * listener per loop sharing the port, TCP_NODELAY), and nothing else, so the difference between a
 * figure and its limit is what the server does per message.
 */
final class LimitVerticles {
    private LimitVerticles() {
    }

    static void serve(String[] args, Consumer<HttpServer> handlers) {
        if (args.length != 1) {
            System.err.println("usage: <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setReuseAddress(true));
                handlers.accept(server);
                return server.listen(port, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(loops)).onFailure(e -> {
            System.err.println("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            System.exit(1);
        });
    }
}
