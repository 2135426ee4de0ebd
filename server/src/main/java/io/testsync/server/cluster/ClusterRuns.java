package io.testsync.server.cluster;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's set of runs, {@code testsync:runs} (a sorted set: testID to the Redis time it was first
 * admitted): what {@code limits.max_runs} counts over all nodes, what the management API lists and what
 * retention walks. A run enters with its first admitted connection and leaves when retention or an
 * operator removes it. A key of its own, outside every run's hash tag, so on Redis Cluster it is one slot
 * and the reservation is one single-key script.
 */
final class ClusterRuns {
    static final String KEY = RunKeys.PREFIX + "runs";
    /** A run already in the set is admitted; a new one only while the set holds fewer than ARGV[2]. */
    private static final Script RESERVE = Script.of("reserve-run", """
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            local t = redis.call('TIME')
            redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
            return 1
            """);

    private final RedisLink link;

    ClusterRuns(RedisLink link) {
        this.link = link;
    }

    /** True when run {@code testId} is (now) one of the cluster's runs; false when {@code maxRuns} are held already. */
    Future<Boolean> reserve(String testId, int maxRuns) {
        return link.evalScript(RESERVE, List.of(KEY), List.of(testId, Integer.toString(maxRuns))).map(r -> r.toLong() == 1);
    }

    /** Every run of the cluster. */
    Future<List<String>> ids() {
        return link.send(Request.cmd(Command.ZRANGE).arg(KEY).arg(0).arg(-1)).map(r -> {
            List<String> ids = new ArrayList<>(r.size());
            for (Response id : r) ids.add(id.toString());
            return ids;
        });
    }

    /** Run {@code testId} no longer counts. */
    Future<Void> forget(String testId) {
        return link.send(Request.cmd(Command.ZREM).arg(KEY).arg(testId)).mapEmpty();
    }

    /**
     * Forgets run {@code testId} when it holds nothing any more (no connection, checkpoint, counter, state, topic
     * or lock), as one node forgets such a run, so that it no longer counts for limits.max_runs.
     */
    Future<Void> dropIfEmpty(String testId) {
        return link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(testId, "")), List.of("drop_if_empty"))
                .compose(r -> r.toLong() == 1 ? forgetUnlessJoined(testId) : Future.<Void>succeededFuture());
    }

    /**
     * Forgets a run whose keys were just removed; an agent admitted between the removal and now is in a run
     * that must stay, so it is put back.
     */
    Future<Void> forgetUnlessJoined(String testId) {
        return forget(testId).compose(v -> link.send(Request.cmd(Command.EXISTS).arg(RunKeys.key(testId, "members"))))
                .compose(exists -> exists.toLong() == 0 ? Future.<Void>succeededFuture() : restore(testId));
    }

    /** Run {@code testId} counts again (whatever the limit: it has a connection already). */
    Future<Void> restore(String testId) {
        return link.evalScript(RESERVE, List.of(KEY), List.of(testId, Integer.toString(Integer.MAX_VALUE))).mapEmpty();
    }

    /** Whether run {@code testId} is one of the cluster's runs. */
    Future<Boolean> holds(String testId) {
        return link.send(Request.cmd(Command.ZSCORE).arg(KEY).arg(testId)).map(r -> r != null);
    }
}
