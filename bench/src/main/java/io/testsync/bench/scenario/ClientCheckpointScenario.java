package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.testsync.client.Options;

import java.net.URI;
import java.util.List;

/**
 * The Java client's own row (issue 9): N {@code TestSyncClient}s in this JVM, one thread each, meet
 * at a checkpoint of the server jar, round after round. The figure is the resume skew: per round,
 * the last {@code checkpoint()} return minus the first, after each waited out its {@code start_in_ms}.
 * The limit is the same threads parked until one common instant (no network, no server), alternated
 * round by round with the real thing, so the ratio shows what the release path adds to scheduling.
 */
public final class ClientCheckpointScenario implements Scenario {
    static final String SKEW_MAX = "skew_max_ms";
    static final String ARRIVAL_SKEW = "arrival_skew_p50_ms";
    static final String ROUNDS = "rounds";
    static final String ZERO_START_IN = "zero_start_in";

    @Override
    public String name() {
        return "client";
    }

    @Override
    public List<Row> run(Env env) {
        int agents = env.profile().clientAgents();
        int rounds = env.profile().clientRounds();
        Row.Spec spec = new Row.Spec("client checkpoint", "n=" + agents, "ms skew", "threads parked to one instant", Target.NONE);
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY)) {
            URI uri = URI.create("ws://" + server.endpoint().host() + ":" + server.endpoint().port());
            Options base = Options.credentials(env.launcher().user(), env.launcher().password());
            return List.of(Repeat.rows(env, spec, r -> once(env, server, uri, base, agents, rounds, r)));
        }
    }

    private static Measure once(Env env, Launched server, URI uri, Options base, int agents, int rounds, int repetition) throws Exception {
        String run = "client-" + agents + "-" + repetition + "-" + System.nanoTime();
        try (ClientFleet fleet = ClientFleet.connect(uri, run, base, agents)) {
            // warm-up: the client's and the JDK WebSocket's code paths get compiled before anything counts
            long warmUntil = System.nanoTime() + env.profile().warmupBefore(repetition).toNanos();
            for (int k = 1; k <= 2 || System.nanoTime() < warmUntil; k++) {
                fleet.play("warmup-" + k);
                fleet.floorSpread();
            }
            Histogram skew = new Histogram();
            Histogram floor = new Histogram();
            Histogram arrival = new Histogram();
            Histogram lateness = new Histogram();
            int zero = 0;
            for (int k = 1; k <= rounds; k++) {
                // alternate who goes first, so neither always follows the other's burst
                if (k % 2 == 0) floor.record(fleet.floorSpread());
                ClientFleet.Result res = fleet.play("round-" + k);
                if (k % 2 == 1) floor.record(fleet.floorSpread());
                skew.record(ClientFleet.Result.spread(res.returnedAt()));
                arrival.record(ClientFleet.Result.spread(res.arrivedAt()));
                res.lateness(lateness);
                zero += res.zeroStartIn();
                server.process().requireAlive();
            }
            return Measures.latency(new Measure(), lateness)
                    .versus(skew.percentileMillis(50), floor.percentileMillis(50))
                    .put(SKEW_MAX, skew.maxMillis())
                    .put(ARRIVAL_SKEW, arrival.percentileMillis(50))
                    .add(ZERO_START_IN, zero)
                    .add(ROUNDS, rounds);
        }
    }
}
