package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.BroadcastServer;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.ClusterNodes;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

import java.util.List;

/**
 * Cluster mode (SPEC §11) against one node, in the same run: a real redis-server with three server
 * jars in cluster mode on it, next to one server on memory storage and the broadcast floor. The
 * agents of one run are dealt round robin over the three nodes, as a load balancer without sticky
 * sessions would. Two rows: a checkpoint of N agents (release latency and skew, against the same N
 * agents on one node and on the floor, round by round) and the counter closed loop (against the
 * same loop on one node, slice by slice).
 */
public final class ClusterScenario implements Scenario {
    static final int NODES = 3;
    static final String ONE_NODE_SKEW_P50 = "one_node_skew_p50_ms";
    static final String ONE_NODE_SKEW_MAX = "one_node_skew_max_ms";
    static final String SKEW_RATIO = "skew_ratio";
    static final String FLOOR_P99 = "floor_p99_ms";
    static final String FLOOR_RATIO = "floor_ratio";
    static final String ONE_NODE_P99 = "one_node_p99_ms";
    static final String ONE_NODE_VERIFIED = "one_node_verified_additions";

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public List<Row> run(Env env) {
        int agents = env.profile().clusterAgents();
        int c = env.profile().counterConnections();
        Row.Spec checkpoint = new Row.Spec("cluster", "checkpoint " + agents + " agents " + NODES + " nodes", "ms p99",
                "one node p99", Target.NONE);
        Row.Spec counter = new Row.Spec("cluster", "counter c=" + c + " " + NODES + " nodes", "replies/s",
                "one node " + c + "c", Target.NONE);
        try (ClusterNodes cluster = ClusterNodes.start(env.launcher(), NODES, "cluster");
             Launched single = env.launcher().server(Launcher.Storage.MEMORY);
             Launched floor = env.launcher().limit(BroadcastServer.class, "broadcast floor");
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            Sides sides = new Sides(cluster, single);
            return List.of(
                    Repeat.rows(env, checkpoint, r -> checkpoints(env, connector, sides, floor, agents, r)),
                    Repeat.rows(env, counter, r -> counters(env, connector, sides, c, r)));
        }
    }

    /** The two servers compared: the cluster and the single node. */
    private record Sides(ClusterNodes cluster, Launched single) {
        void requireAlive() {
            cluster.requireAlive();
            single.process().requireAlive();
        }
    }

    private static Measure checkpoints(Env env, WsConnector connector, Sides sides, Launched floor, int agents, int repetition) {
        String run = "cluster-checkpoint-" + repetition + "-" + System.nanoTime();
        try (CheckpointFleet spread = CheckpointFleet.connect(env, connector, sides.cluster().endpoints(), agents, "/register/" + run);
             CheckpointFleet one = CheckpointFleet.connect(env, connector, List.of(sides.single().endpoint()), agents, "/register/" + run);
             CheckpointFleet least = CheckpointFleet.connect(env, connector, List.of(floor.endpoint()), agents,
                     BroadcastServer.path(agents, run))) {
            List<CheckpointFleet> fleets = List.of(spread, one, least);
            long warmUntil = System.nanoTime() + env.profile().warmupBefore(repetition).toNanos();
            for (int k = 1; k <= 2 || System.nanoTime() < warmUntil; k++) {
                for (CheckpointFleet f : fleets) f.driver().play("warmup-" + k);
            }
            List<ReleaseStats> stats = List.of(new ReleaseStats(), new ReleaseStats(), new ReleaseStats());
            int rounds = env.profile().clusterRounds();
            for (int k = 1; k <= rounds && stats.get(0).released == k - 1 && stats.get(1).released == k - 1; k++) {
                // each side goes first, second and third in turn, so none always follows another's burst
                for (int j = 0; j < fleets.size(); j++) {
                    int side = (k + j) % fleets.size();
                    fleets.get(side).play("round-" + k, stats.get(side));
                }
                sides.requireAlive();
            }
            ReleaseStats mine = stats.get(0);
            ReleaseStats node = stats.get(1);
            ReleaseStats limit = stats.get(2);
            double skew = mine.skew.percentileMillis(50);
            double nodeSkew = node.skew.percentileMillis(50);
            return Measures.latency(new Measure(), mine.latency)
                    .put(Measure.Keys.FIGURE, mine.p99Millis())
                    .put(Measure.Keys.LIMIT, node.p99Millis())
                    .put(Measure.Keys.RATIO, mine.p99Millis() / Math.max(1e-3, node.p99Millis()))
                    .put(FLOOR_P99, limit.p99Millis())
                    .put(FLOOR_RATIO, mine.p99Millis() / Math.max(1e-3, limit.p99Millis()))
                    .put(BarrierScenario.SKEW_P50, skew)
                    .put(BarrierScenario.SKEW_MAX, mine.skew.maxMillis())
                    .put(ONE_NODE_SKEW_P50, nodeSkew)
                    .put(ONE_NODE_SKEW_MAX, node.skew.maxMillis())
                    .put(SKEW_RATIO, skew / Math.max(1e-3, nodeSkew))
                    .put(BarrierScenario.FLOOR_SKEW_MAX, limit.skew.maxMillis())
                    .add(BarrierScenario.RELEASED, Math.min(mine.released, node.released))
                    .add(BarrierScenario.ROUNDS, rounds);
        }
    }

    private static Measure counters(Env env, WsConnector connector, Sides sides, int c, int repetition) {
        String run = "cluster-counter-" + repetition + "-" + System.nanoTime();
        CounterExchange spreadCounter = new CounterExchange(CounterScenario.COUNTER, c);
        CounterExchange oneCounter = new CounterExchange(CounterScenario.COUNTER, c);
        try (WsLoops spread = WsLoops.open(env, connector, sides.cluster().endpoints(), c, i -> "/register/" + run, spreadCounter);
             WsLoops one = WsLoops.open(env, connector, sides.single(), c, i -> "/register/" + run, oneCounter)) {
            Interleave.Pair p = Interleave.run(env.profile(), repetition, spread::run, one::run);
            sides.requireAlive();
            long spreadTotal = CounterScenario.requireTotal(env, spread.sockets().get(0), spreadCounter);
            long oneTotal = CounterScenario.requireTotal(env, one.sockets().get(0), oneCounter);
            return Measures.latency(new Measure().versus(p.figure().perSecond(), p.limit().perSecond()), p.figure())
                    .put(ONE_NODE_P99, p.limit().latency().percentileMillis(99))
                    .add(CounterScenario.VERIFIED, spreadTotal)
                    .add(ONE_NODE_VERIFIED, oneTotal)
                    .add(Measure.Keys.ERRORS, p.figure().errors() + p.limit().errors());
        }
    }
}
