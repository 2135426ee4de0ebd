package io.testsync.server.cluster;

import io.testsync.server.metrics.RunGauges;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run gauges of {@code /metrics} over the whole cluster (SPEC §11): totals of every run's summary in
 * Redis. A scrape must not wait for Redis, so a read answers the totals of the latest refresh and starts
 * the next one when those are older than {@link #MAX_AGE_MS}: a scrape sees the cluster as it was at most
 * one scrape interval (or a second) ago, and a node nobody scrapes reads nothing.
 */
public final class ClusterGauges implements RunGauges {
    static final long MAX_AGE_MS = 1_000;

    private final RedisCoordinator c;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long[] totals = new long[6];
    private volatile long refreshedAt; // 0: never, so the first read refreshes

    public ClusterGauges(RedisCoordinator coordinator) {
        this.c = coordinator;
    }

    private long total(int i) {
        if (System.currentTimeMillis() - refreshedAt > MAX_AGE_MS && refreshing.compareAndSet(false, true)) refresh();
        return totals[i];
    }

    private void refresh() {
        Future<long[]> read;
        try {
            read = read();
        } catch (RuntimeException e) { // the link is closing: answer the last totals
            refreshing.set(false);
            return;
        }
        read.onComplete(done -> {
            if (done.succeeded()) {
                totals = done.result();
                refreshedAt = System.currentTimeMillis();
            }
            refreshing.set(false);
        });
    }

    private Future<long[]> read() {
        return c.runs.ids().compose(ids -> {
            List<Future<Response>> reads = new ArrayList<>(ids.size());
            for (String id : ids) reads.add(c.link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(id, "")), List.of("summary")));
            return Future.all(reads).map(all -> {
                long[] t = new long[6];
                t[0] = ids.size();
                for (int i = 0; i < ids.size(); i++) {
                    Response s = all.resultAt(i);
                    t[1] += s.get(0).toLong(); // connections
                    t[2] += s.get(1).toLong(); // waiting checkpoints
                    t[3] += s.get(4).toLong(); // topics
                    t[4] += s.get(5).toLong(); // locks held
                    t[5] += s.get(6).toLong(); // lock waiters
                }
                return t;
            });
        });
    }

    @Override public long runs() { return total(0); }
    @Override public long connections() { return total(1); }
    @Override public long waitingCheckpoints() { return total(2); }
    @Override public long topics() { return total(3); }
    @Override public long locksHeld() { return total(4); }
    @Override public long lockWaiters() { return total(5); }
}
