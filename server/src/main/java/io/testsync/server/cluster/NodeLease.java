package io.testsync.server.cluster;

import io.vertx.core.Future;
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

    /** Every connection of dead node {@code dead} leaves its run; then the node is forgotten. */
    private Future<Void> cleanUp(String dead) {
        String runs = runsKey(dead);
        return c.link.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SMEMBERS).arg(runs))
                .compose(members -> {
                    List<Future<Response>> evictions = new ArrayList<>();
                    for (Response run : members) {
                        String prefix = run.toString() + ":";
                        evictions.add(c.link.evalScript(Scripts.COORDINATION, List.of(prefix, runs),
                                List.of("evict", dead, Long.toString(c.settings.releaseLeadMs()))));
                    }
                    return Future.all(evictions);
                })
                .compose(v -> c.link.evalScript(Scripts.LEASE, List.of(NODES, runs), List.of("bury", dead)))
                .onSuccess(r -> {
                    if (r.toLong() == 1) log.warn("node {} declared node {} dead (its lease expired) and removed its connections", c.incarnation, dead);
                })
                .onFailure(e -> log.warn("cleaning up after dead node {} failed, will retry: {}", dead, e.toString()))
                .mapEmpty();
    }
}
