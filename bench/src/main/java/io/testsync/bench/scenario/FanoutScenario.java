package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.BroadcastServer;
import io.testsync.bench.limits.Fanout;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

import java.util.List;

/**
 * N agents of one run subscribe to one topic and one more agent publishes to it, one message at a
 * time: latency is each subscriber's message received minus the publish sent, for every subscriber
 * of every measured publish. The same publishes against the fan-out floor of the broadcast server
 * (one frame written to N sockets), alternating publish by publish, give the limit.
 */
public final class FanoutScenario implements Scenario {
    /**
     * The server's default {@code limits.max_messages_per_topic}: warm-up and measured publishes of a
     * repetition share one topic, so the time-bound warm-up also stops before that many.
     */
    static final int MESSAGES_PER_TOPIC = 10_000;

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public List<Row> run(Env env) {
        int n = env.profile().fanoutSubscribers();
        int rounds = env.profile().fanoutRounds();
        Row.Spec spec = new Row.Spec("publish", "fanout n=" + n, "ms p99", "floor p99",
                Target.atMost(Measure.Keys.RATIO, 1.3, "p99 <= 1.3 x floor p99"));
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             Launched floor = env.launcher().limit(BroadcastServer.class, "fan-out floor");
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            return List.of(Repeat.rows(env, spec, r -> once(env, connector, server, floor, n, rounds, r)));
        }
    }

    private static Measure once(Env env, WsConnector connector, Launched server, Launched floor, int n, int rounds, int repetition) {
        String run = "fanout-" + n + "-" + repetition + "-" + System.nanoTime();
        try (FanoutFleet real = FanoutFleet.connect(env, connector, server, n, "/register/" + run, true,
                (k, text) -> text.equals(FanoutFleet.published(k)));
             FanoutFleet least = FanoutFleet.connect(env, connector, floor, n, "/fanout/" + run, false,
                     (k, text) -> text.equals(Fanout.ANSWER))) {
            long warmUntil = System.nanoTime() + env.profile().warmupBefore(repetition).toNanos();
            long k = 1;
            // by time, as barrier rounds: one publish takes milliseconds and the JIT needs thousands
            for (; k <= 2 || (System.nanoTime() < warmUntil && k < MESSAGES_PER_TOPIC - rounds); k++) {
                real.play(k);
                least.play(k);
            }
            Stats mine = new Stats();
            Stats limit = new Stats();
            for (int i = 1; i <= rounds; i++, k++) {
                // alternate who goes first, so neither side always follows the other's burst
                if (i % 2 == 0) limit.add(least.play(k));
                mine.add(real.play(k));
                if (i % 2 == 1) limit.add(least.play(k));
                server.process().requireAlive();
            }
            double p99 = mine.latency.percentileMillis(99);
            double floorP99 = limit.latency.percentileMillis(99);
            return Measures.latency(new Measure(), mine.latency)
                    .put(Measure.Keys.FIGURE, p99)
                    .put(Measure.Keys.LIMIT, floorP99)
                    .put(Measure.Keys.RATIO, p99 / Math.max(1e-3, floorP99))
                    .put(BarrierScenario.SKEW_MAX, mine.skew.maxMillis())
                    .put(BarrierScenario.FLOOR_SKEW_MAX, limit.skew.maxMillis())
                    .add(BarrierScenario.ROUNDS, rounds);
        }
    }

    /** Latency of every subscriber's message and the spread of each publish's arrivals. */
    private static final class Stats {
        final Histogram latency = new Histogram();
        final Histogram skew = new Histogram();

        void add(FanoutRound round) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (long t : round.arrivals()) {
                latency.record(t - round.sentAt);
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            skew.record(last - first);
        }
    }
}
