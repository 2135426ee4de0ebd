package io.testsync.server.cluster;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * This node's lease in the cluster (SPEC §11, {@code cluster.node_lease_ms}), renewed several times per
 * lease; and the cleanup of nodes whose lease ran out: every connection a dead node held leaves its run
 * (counts drop, checkpoints with fail_on_leave fail, locks go to the next waiter), run by run, each in
 * one script call. Cleanup is idempotent, so two survivors doing it at once change nothing twice.
 *
 * <p>On Redis Cluster every script stays in one slot: a run's script touches only that run's keys, the
 * lease script only {@link #NODES}, and a node's set of runs ({@link #runsKey}) is touched by single-key
 * commands only: a run is added ({@link #enlist}) before the node's first admission to it, so a node that
 * dies at any moment leaves no connection its cleanup cannot find.
 *
 * <p>A node only declares others dead after it has itself renewed without interruption for a whole
 * lease: after an outage of Redis every node's lease looks expired, and the first node back must not
 * evict the others before they had their chance to renew.
 */
final class NodeLease {
    private static final Logger log = LoggerFactory.getLogger(NodeLease.class);
    static final String NODES = RunKeys.PREFIX + "nodes";
    /** Renewals and checks at least this often, so a dead node is cleaned up within its lease + 1 s. */
    private static final long MAX_TICK_MS = 500;

    private final RedisCoordinator c;
    private final long leaseMs;
    private final long tickMs;
    private long timer = -1;
    private boolean stopped;
    private boolean cleaning;
    private long healthySince = -1;
    /** The runs this incarnation has enlisted in its set of runs (they stay there until it is buried). */
    private final java.util.Set<String> enlisted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean failing;

    NodeLease(RedisCoordinator c, long leaseMs) {
        this.c = c;
        this.leaseMs = leaseMs;
        this.tickMs = Math.max(10, Math.min(MAX_TICK_MS, leaseMs / 3));
    }

    /** The set of runs in which node {@code nodeId} holds connections; one key per node. */
    static String runsKey(String nodeId) {
        return RunKeys.PREFIX + "node:{" + nodeId + "}:runs";
    }

    /** The member of a node's set of runs that names run {@code testId}: its key prefix without the last ':'. */
    private static String runEntry(String testId) {
        String prefix = RunKeys.key(testId, "");
        return prefix.substring(0, prefix.length() - 1);
    }

    /**
     * Adds run {@code testId} to this node's set of runs ({@code SADD}, a single-key command), once per
     * run; admissions to the run wait for it, so cleanup after this node's death finds the run.
     */
    Future<Void> enlist(String testId) {
        if (enlisted.contains(testId)) return Future.succeededFuture();
        return c.link.send(Request.cmd(Command.SADD).arg(runsKey(c.incarnation)).arg(runEntry(testId)))
                .onSuccess(r -> enlisted.add(testId))
                .mapEmpty();
    }

    /** Registers this node and starts renewing. */
    Future<Void> start() {
        return renew(true).map(dead -> {
            healthySince = System.currentTimeMillis();
            c.onContext(this::schedule);
            return null;
        });
    }

    void stop() {
        c.onContext(() -> {
            stopped = true;
            if (timer >= 0) c.vertx.cancelTimer(timer);
        });
    }

    /** A clean stop: the node leaves the set of nodes (its connections have left already). */
    Future<Void> release() {
        return c.link.evalScript(Scripts.LEASE, List.of(NODES), List.of("leave", c.incarnation)).mapEmpty();
    }

    private void schedule() {
        if (!stopped) timer = c.vertx.setTimer(tickMs, id -> c.onContext(this::tick));
    }

    private Future<List<String>> renew(boolean first) {
        return c.link.evalScript(Scripts.LEASE, List.of(NODES),
                List.of("renew", c.incarnation, Long.toString(leaseMs), first ? "1" : "0")).map(r -> {
            if (r.get(0).toString().equals("lost")) return null;
            List<String> dead = new ArrayList<>();
            for (int i = 1; i < r.size(); i++) if (!r.get(i).toString().equals(c.incarnation)) dead.add(r.get(i).toString());
            return dead;
        });
    }

    private void tick() {
        if (stopped) return;
        c.link.measureClockOffset(1).onSuccess(sample -> c.onContext(() -> c.offsetSample(sample)));
        renew(false).onComplete(done -> c.onContext(() -> {
            if (done.failed()) {
                if (!failing) log.warn("node {} cannot renew its cluster lease: {}", c.incarnation, done.cause().toString());
                failing = true;
                healthySince = -1;
                schedule();
                return;
            }
            if (failing) log.info("node {} renews its cluster lease again", c.incarnation);
            failing = false;
            long now = System.currentTimeMillis();
            if (healthySince < 0) healthySince = now;
            if (done.result() == null) {
                enlisted.clear(); // the cleanup emptied the set of runs: enlist again
                c.leaseLost();
                renew(true).onComplete(again -> c.onContext(this::schedule));
                return;
            }
            c.retryLeaves();
            if (!done.result().isEmpty() && !cleaning && now - healthySince >= leaseMs) {
                cleaning = true;
                Future.all(done.result().stream().map(this::cleanUp).toList())
                        .onComplete(cleaned -> c.onContext(() -> cleaning = false));
            }
            schedule();
        }));
    }

    /**
     * Every connection of dead node {@code dead} leaves its run, one script call per run (each in the
     * run's slot); the runs done are taken out of its set; once the set is empty, the node is forgotten.
     */
    private Future<Void> cleanUp(String dead) {
        String runs = runsKey(dead);
        return c.link.send(Request.cmd(Command.SMEMBERS).arg(runs))
                .compose(members -> {
                    List<String> walked = new ArrayList<>();
                    List<Future<Response>> evictions = new ArrayList<>();
                    for (Response run : members) {
                        walked.add(run.toString());
                        evictions.add(c.link.evalScript(Scripts.COORDINATION, List.of(run + ":"),
                                List.of("evict", dead, Long.toString(c.settings.releaseLeadMs()))));
                    }
                    if (walked.isEmpty()) return Future.succeededFuture();
                    Request done = Request.cmd(Command.SREM).arg(runs);
                    walked.forEach(done::arg);
                    return Future.all(evictions).compose(v -> c.link.send(done));
                })
                .compose(v -> c.link.send(Request.cmd(Command.SCARD).arg(runs)))
                // a run enlisted meanwhile (the node was not dead after all) waits for the next round
                .compose(left -> left.toLong() > 0 ? Future.succeededFuture((Response) null)
                        : c.link.evalScript(Scripts.LEASE, List.of(NODES), List.of("bury", dead)))
                .onSuccess(r -> {
                    if (r != null && r.toLong() == 1) log.warn("node {} declared node {} dead (its lease expired) and removed its connections", c.incarnation, dead);
                })
                .onFailure(e -> log.warn("cleaning up after dead node {} failed, will retry: {}", dead, e.toString()))
                .mapEmpty();
    }
}
