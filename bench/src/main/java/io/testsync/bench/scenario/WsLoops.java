package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.load.Endpoint;
import io.testsync.bench.load.Exchange;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.Window;
import io.testsync.bench.load.WsClosedLoop;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.vertx.core.http.WebSocket;

import java.util.List;
import java.util.function.IntFunction;

/** A set of open connections to one target on which closed loops run, window after window. */
final class WsLoops implements AutoCloseable {
    /** Handshakes in flight while connecting: enough to connect 256 agents in a blink. */
    private static final int IN_FLIGHT = 64;

    private final Env env;
    private final List<WebSocket> sockets;
    private final Exchange exchange;

    private WsLoops(Env env, List<WebSocket> sockets, Exchange exchange) {
        this.env = env;
        this.sockets = sockets;
        this.exchange = exchange;
    }

    static WsLoops open(Env env, WsConnector connector, Launched target, int connections,
                        IntFunction<String> path, Exchange exchange) {
        return open(env, connector, List.of(target.endpoint()), connections, path, exchange);
    }

    /** Connections dealt round robin over {@code targets} (the nodes of a cluster): connection i to {@code i % size}. */
    static WsLoops open(Env env, WsConnector connector, List<Endpoint> targets, int connections,
                        IntFunction<String> path, Exchange exchange) {
        List<WebSocket> sockets = connector.connect(targets, connections, path, IN_FLIGHT, (i, ws) -> { }, 60);
        return new WsLoops(env, sockets, exchange);
    }

    LoopResult run(Window window) {
        return run(window, exchange);
    }

    /** A closed loop of another exchange on the same connections (e.g. two commands of one run, compared). */
    LoopResult run(Window window, Exchange other) {
        return WsClosedLoop.run(env.lanes(), sockets, other, window);
    }

    /** The open connections, in index order: connection i lives on lane {@code laneOf(i)}. */
    List<WebSocket> sockets() {
        return sockets;
    }

    @Override
    public void close() {
        WsConnector.closeAll(sockets);
    }
}
