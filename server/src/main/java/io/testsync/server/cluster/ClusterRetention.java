package io.testsync.server.cluster;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Retention of the runs' coordination state in a cluster (SPEC §8, {@code retention.*}, on §11): every
 * {@code sweep_interval} one node, whichever takes the lock {@code testsync:retention:lock} first (a key
 * with an expiry, so a node that dies mid-sweep does not hold it for ever), removes every coordination key
 * of the runs that have no connection and no activity, of their state or their data, for {@code max_idle}.
 * Each run's check and removal is one script call, so a run an agent joins meanwhile is never removed.
 * The runs' data is the store's retention (every node's store sweeps it; removal there is idempotent).
 */
public final class ClusterRetention {
    private static final Logger log = LoggerFactory.getLogger(ClusterRetention.class);
    static final String LOCK = RunKeys.PREFIX + "retention:lock";
    /** Gives the lock back only when it is still this node's (it may have expired and been taken since). */
    private static final Script UNLOCK = Script.of("retention-unlock", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    private final RedisCoordinator c;
    private final long maxIdleMs;
    private final long intervalMs;
    private final long lockMs;
    private final LongAdder sweeps = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder removed = new LongAdder();
    private volatile boolean stopped;
    private long timer = -1;

    public ClusterRetention(RedisCoordinator coordinator, long maxIdleMs, long intervalMs) {
        this.c = coordinator;
        this.maxIdleMs = maxIdleMs;
        this.intervalMs = intervalMs;
        // long enough for a sweep of many runs, short enough that a dead sweeper delays the next by little
        this.lockMs = Math.max(30_000, 2 * intervalMs);
    }

    /** Sweeps now, then every interval after each sweep ended. */
    public void start() {
        c.onContext(this::run);
    }

    public void stop() {
        stopped = true;
        c.onContext(() -> {
            if (timer >= 0) c.vertx.cancelTimer(timer);
        });
    }

    private void run() {
        if (stopped) return;
        sweep().onComplete(done -> c.onContext(() -> {
            if (!stopped) timer = c.vertx.setTimer(intervalMs, id -> c.onContext(this::run));
        }));
    }

    /** One sweep if this node gets the lock; the number of runs removed (0 when another node sweeps). */
    Future<Integer> sweep() {
        Request take = Request.cmd(Command.SET).arg(LOCK).arg(c.incarnation).arg("NX").arg("PX").arg(lockMs);
        return c.link.send(take).compose(got -> {
            if (got == null) {
                skipped.increment();
                return Future.succeededFuture(0);
            }
            sweeps.increment();
            return c.link.redisTimeMs().compose(now -> sweepRuns(now - maxIdleMs + 1))
                    .eventually(() -> c.link.evalScript(UNLOCK, List.of(LOCK), List.of(c.incarnation)));
        }).onFailure(e -> {
            if (!stopped) log.warn("retention of the cluster's runs failed, tried again at the next sweep: {}", e.toString());
        });
    }

    /** Each run idle before {@code cutoff} (Redis time) leaves the run set and loses its keys. */
    private Future<Integer> sweepRuns(long cutoff) {
        AtomicInteger count = new AtomicInteger();
        return c.runs.ids().compose(ids -> {
            List<Future<Void>> work = new ArrayList<>(ids.size());
            for (String id : ids) work.add(sweepRun(id, cutoff, count));
            return Future.all(work);
        }).map(v -> {
            int n = count.get();
            removed.add(n);
            if (n > 0) log.info("retention: removed {} cluster run(s) without agents and without activity for {} ms", n, maxIdleMs);
            return n;
        });
    }

    private Future<Void> sweepRun(String testId, long cutoff, AtomicInteger count) {
        return c.link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(testId, "")), List.of("purge", Long.toString(cutoff)))
                .compose(r -> {
                    if (r.toLong() != 1) return Future.succeededFuture();
                    count.incrementAndGet();
                    return c.runs.forgetUnlessJoined(testId);
                });
    }

    /** Sweeps this node made (it held the lock). */
    public long sweeps() {
        return sweeps.sum();
    }

    /** Sweeps this node left to another that held the lock. */
    public long skipped() {
        return skipped.sum();
    }

    /** Runs this node removed. */
    public long removedRuns() {
        return removed.sum();
    }
}
