package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.BroadcastServer;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

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
        try (CheckpointFleet real = CheckpointFleet.connect(env, connector, List.of(server.endpoint()), agents, "/register/" + run);
             CheckpointFleet least = CheckpointFleet.connect(env, connector, List.of(floor.endpoint()), agents,
                     BroadcastServer.path(agents, run))) {
            // warm-up by time, not by rounds: a round of 10 agents takes a millisecond, and the JIT needs thousands
            long warmUntil = System.nanoTime() + env.profile().warmupBefore(repetition).toNanos();
            for (int k = 1; k <= 2 || System.nanoTime() < warmUntil; k++) {
                real.driver().play("warmup-" + k);
                least.driver().play("warmup-" + k);
            }
            ReleaseStats mine = new ReleaseStats();
            ReleaseStats limit = new ReleaseStats();
            for (int k = 1; k <= rounds && mine.released == k - 1; k++) {
                // alternate who goes first, so neither side always follows the other's burst
                if (k % 2 == 0) least.play("round-" + k, limit);
                real.play("round-" + k, mine);
                if (k % 2 == 1) least.play("round-" + k, limit);
                server.process().requireAlive();
            }
            return Measures.latency(new Measure(), mine.latency)
                    .put(Measure.Keys.FIGURE, mine.p99Millis())
                    .put(Measure.Keys.LIMIT, limit.p99Millis())
                    .put(Measure.Keys.RATIO, mine.p99Millis() / Math.max(1e-3, limit.p99Millis()))
                    .put(SKEW_P50, mine.skew.percentileMillis(50))
                    .put(SKEW_MAX, mine.skew.maxMillis())
                    .put(FLOOR_SKEW_MAX, limit.skew.maxMillis())
                    .add(RELEASED, mine.released)
                    .add(ROUNDS, rounds);
        }
    }
}
