package io.testsync.server;

import io.testsync.server.http.HeadTimeouts;
import io.testsync.server.http.HttpVersions;
import io.testsync.server.http.InvalidRequests;
import io.testsync.server.http.Router;
import io.testsync.server.ws.AgentEndpoint;
import io.testsync.server.ws.Frames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private HeadTimeouts heads;

    Listener(Wiring wiring, int httpPort, int wsPort) {
        this.wiring = wiring;
        this.httpPort = httpPort;
        this.wsPort = wsPort;
    }

    @Override
    public Future<?> start() {
        var t = wiring.tuning();
        agents = new AgentEndpoint(wiring.coordinator(), wiring.store(), wiring.clock(), wiring.config(), wiring.metrics(), t.closeGraceMs());
        vertx.setPeriodic(t.pingIntervalMs(), id -> agents.heartbeat(t.pingTimeoutMs()));
        heads = new HeadTimeouts(vertx, t.headTimeoutMs(), t.keepAliveTimeoutMs());
        String host = wiring.config().bindAddress();
        // The operations endpoints live with the HTTP API; the WebSocket-only port serves agents and /health.
        if (httpPort == wsPort) {
            return listen(new Router(wiring.auth(), wiring.cors(), wiring.tests(), agents::register, t.requestTimeoutMs(),
                    wiring.ops(), wiring.metrics(), wiring.admin()), httpPort, host);
        }
        return listen(new Router(wiring.auth(), wiring.cors(), wiring.tests(), null, t.requestTimeoutMs(),
                wiring.ops(), wiring.metrics(), wiring.admin()), httpPort, host)
                .compose(v -> listen(new Router(wiring.auth(), wiring.cors(), null, agents::register, t.requestTimeoutMs(),
                        null, wiring.metrics(), wiring.admin()), wsPort, host));
    }

    private Future<HttpServer> listen(Router router, int port, String host) {
        int frameLimit = wiring.config().limits().maxDataBytes() + Wiring.ENVELOPE_SLACK;
        HttpServerOptions options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(frameLimit)
                .setMaxWebSocketMessageSize(frameLimit)
                // No permessage-deflate: every compressed connection keeps a zlib context (costly at
                // 10,000 agents), a small compressed frame can inflate past every limit, and without
                // extensions Netty refuses frames with reserved bits set (1002) as RFC 6455 asks.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                // SPEC §9.2: offered by a client, testsync.v1 is selected; without it, the seed protocol
                .setWebSocketSubProtocols(List.of(Frames.V1))
                .setIdleTimeout((int) wiring.tuning().idleTimeoutMs())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // HTTP/1.1 only: with h2c on, Vert.x creates the connection (and calls connectionHandler) only
                // once the first bytes tell the protocol, so a client that sends nothing escaped the head timeout
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(true)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        HttpServer server = vertx.createHttpServer(options)
                .connectionHandler(conn -> {
                    HttpVersions.install(conn);
                    heads.opened(conn);
                })
                .invalidRequestHandler(new InvalidRequests(options.getMaxHeaderSize(), options.getMaxInitialLineLength()))
                .requestHandler(heads.around(router));
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
        wiring.admin().closeStreams();
        List<Future<Void>> done = new ArrayList<>();
        for (HttpServer s : servers) done.add(s.shutdown(Duration.ofSeconds(5)));
        return Future.join(done);
    }
}
