package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.load.Endpoint;
import io.testsync.bench.load.WsConnector;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * N connected barrier agents and the driver that plays checkpoint rounds with them. The agents are
 * dealt round robin over the endpoints given (one server, the floor, or the nodes of a cluster).
 */
record CheckpointFleet(List<WebSocket> sockets, Round.Driver driver) implements AutoCloseable {
    /** Handshakes in flight: a thousand agents connect in a second or two without filling the backlog. */
    private static final int IN_FLIGHT = 128;

    static CheckpointFleet connect(Env env, WsConnector connector, List<Endpoint> targets, int agents, String path) {
        List<Agent> fleet = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) fleet.add(new Agent(i));
        List<WebSocket> sockets = connector.connect(targets, agents, i -> path, IN_FLIGHT,
                (i, ws) -> fleet.get(i).attach(ws), 120);
        return new CheckpointFleet(sockets, new Round.Driver(env.lanes(), fleet, agents));
    }

    /** Plays one round, adding what it measured to {@code stats}; true when every agent was released. */
    boolean play(String identifier, ReleaseStats stats) {
        Round.Result result = driver.play(identifier);
        stats.add(result);
        return result.allReleased();
    }

    @Override
    public void close() {
        WsConnector.closeAll(sockets);
    }
}
