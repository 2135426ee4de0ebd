package io.testsync.server;

import io.testsync.server.http.Router;
import io.testsync.server.ws.AgentEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's share of the listeners. The server deploys one per event loop; Vert.x spreads
 * the connections of a shared port over them, so both cores serve agents.
 */
final class Listener extends VerticleBase {
    private final Wiring wiring;
    private final int httpPort;
    private final int wsPort;
    private final List<HttpServer> servers = new ArrayList<>();
    private AgentEndpoint agents;

    Listener(Wiring wiring, int httpPort, int wsPort) {
        this.wiring = wiring;
        this.httpPort = httpPort;
        this.wsPort = wsPort;
    }

    @Override
    public Future<?> start() {
        var t = wiring.tuning();
        agents = new AgentEndpoint(wiring.registry(), wiring.store(), wiring.clock(),
                wiring.config().limits().maxDataBytes(), wiring.config().limits().maxQueuedBytesPerConnection(), wiring.metrics());
        vertx.setPeriodic(t.pingIntervalMs(), id -> agents.heartbeat(t.pingTimeoutMs()));
        String host = wiring.config().bindAddress();
        // The operations endpoints live with the HTTP API; the WebSocket-only port serves agents and /health.
        if (httpPort == wsPort) {
            return listen(new Router(wiring.auth(), wiring.cors(), wiring.tests(), agents::register, t.requestTimeoutMs(),
                    wiring.ops(), wiring.metrics()), httpPort, host);
        }
        return listen(new Router(wiring.auth(), wiring.cors(), wiring.tests(), null, t.requestTimeoutMs(),
                wiring.ops(), wiring.metrics()), httpPort, host)
                .compose(v -> listen(new Router(wiring.auth(), wiring.cors(), null, agents::register, t.requestTimeoutMs(),
                        null, wiring.metrics()), wsPort, host));
    }

    private Future<HttpServer> listen(Router router, int port, String host) {
        int frameLimit = wiring.config().limits().maxDataBytes() + Wiring.ENVELOPE_SLACK;
        HttpServerOptions options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(frameLimit)
                .setMaxWebSocketMessageSize(frameLimit)
                .setHandle100ContinueAutomatically(true)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router);
        servers.add(server);
        return server.listen(port, host);
    }

    int actualPort(int index) {
        return servers.get(index).actualPort();
    }

    /** Closes this loop's WebSockets with 1012, stops accepting, and lets in-flight requests finish. */
    @Override
    public Future<?> stop() {
        agents.closeAll();
        List<Future<Void>> done = new ArrayList<>();
        for (HttpServer s : servers) done.add(s.shutdown(Duration.ofSeconds(5)));
        return Future.join(done);
    }
}
