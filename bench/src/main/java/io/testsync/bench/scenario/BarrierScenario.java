package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.BroadcastServer;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N agents of one run join one checkpoint per round (a fresh identifier each round), as a test
 * fleet does between steps. Release latency is each agent's release received minus the moment the
 * last join was sent; skew is the last release received minus the first, per round. The same
 * rounds against the broadcast floor, alternating round by round, give the limit.
 */
public final class BarrierScenario implements Scenario {
    static final String SKEW_P50 = "skew_p50_ms";
    static final String SKEW_MAX = "skew_max_ms";
    static final String RELEASED = "rounds_released";
    static final String ROUNDS = "rounds";
    static final String FLOOR_SKEW_MAX = "floor_skew_max_ms";

    @Override
    public String name() {
        return "barrier";
    }

    @Override
    public List<Row> run(Env env) {
        List<Row> rows = new ArrayList<>();
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             Launched floor = env.launcher().limit(BroadcastServer.class, "broadcast floor");
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            for (Map.Entry<Integer, Integer> e : env.profile().barrierRounds().entrySet()) {
                int agents = e.getKey();
                int rounds = e.getValue();
                Row.Spec spec = new Row.Spec("barrier", "n=" + agents, "ms p99", "floor p99", target(agents));
                rows.add(Repeat.rows(env, spec, r -> once(env, connector, server, floor, agents, rounds, r)));
            }
        }
        return rows;
    }

    private static Target target(int agents) {
        if (agents == 1000) {
            return new Target("all rounds; p99 <= 12 ms; skew <= 6 ms", v -> v.containsKey(RELEASED)
                    && v.get(RELEASED).equals(v.get(ROUNDS)) && v.get(Measure.Keys.P99) <= 12 && v.get(SKEW_MAX) <= 6);
        }
        if (agents == 100) return Target.atMost(Measure.Keys.P99, 3, "p99 <= 3 ms");
        return Target.NONE;
    }

    private static Measure once(Env env, WsConnector connector, Launched server, Launched floor,
                                int agents, int rounds, int repetition) {
        String run = "barrier-" + agents + "-" + repetition + "-" + System.nanoTime();
        try (Fleet real = Fleet.connect(env, connector, server, agents, "/register/" + run);
             Fleet least = Fleet.connect(env, connector, floor, agents, "/floor/" + agents + "/" + run)) {
            // warm-up by time, not by rounds: a round of 10 agents takes a millisecond, and the JIT needs thousands
            long warmUntil = System.nanoTime() + env.profile().warmupBefore(repetition).toNanos();
            for (int k = 1; k <= 2 || System.nanoTime() < warmUntil; k++) {
                real.driver.play("warmup-" + k);
                least.driver.play("warmup-" + k);
            }
            Stats mine = new Stats();
            Stats limit = new Stats();
            for (int k = 1; k <= rounds && mine.released == k - 1; k++) {
                // alternate who goes first, so neither side always follows the other's burst
                if (k % 2 == 0) limit.add(least.driver.play("round-" + k));
                mine.add(real.driver.play("round-" + k));
                if (k % 2 == 1) limit.add(least.driver.play("round-" + k));
                server.process().requireAlive();
            }
            return Measures.latency(new Measure(), mine.latency)
                    .put(Measure.Keys.FIGURE, mine.latency.percentileMillis(99))
                    .put(Measure.Keys.LIMIT, limit.latency.percentileMillis(99))
                    .put(Measure.Keys.RATIO, mine.latency.percentileMillis(99) / Math.max(1e-3, limit.latency.percentileMillis(99)))
                    .put(SKEW_P50, mine.skew.percentileMillis(50))
                    .put(SKEW_MAX, mine.skew.maxMillis())
                    .put(FLOOR_SKEW_MAX, limit.skew.maxMillis())
                    .add(RELEASED, mine.released)
                    .add(ROUNDS, rounds);
        }
    }

    /** Latency of every agent's release and skew of every round, over the rounds where all were released. */
    private static final class Stats {
        final Histogram latency = new Histogram();
        final Histogram skew = new Histogram();
        int released;

        void add(Round.Result result) {
            if (!result.allReleased()) return; // the loop stops: agents wait in an unknown state
            released++;
            for (long t : result.releasedAt()) latency.record(t - result.lastJoinSent());
            skew.record(result.skewNanos());
        }
    }

    /** N connected agents and the driver that plays rounds with them. */
    private record Fleet(List<WebSocket> sockets, Round.Driver driver) implements AutoCloseable {
        static Fleet connect(Env env, WsConnector connector, Launched target, int agents, String path) {
            List<Agent> fleet = new ArrayList<>(agents);
            for (int i = 0; i < agents; i++) fleet.add(new Agent(i));
            List<WebSocket> sockets = connector.connect(target.endpoint(), agents, i -> path, 128,
                    (i, ws) -> fleet.get(i).attach(ws), 120);
            return new Fleet(sockets, new Round.Driver(env.lanes(), fleet, agents));
        }

        @Override
        public void close() {
            WsConnector.closeAll(sockets);
        }
    }
}
