package io.testsync.server.cluster;

import io.testsync.server.runs.CheckpointJoin;
import io.testsync.server.runs.JoinOutcome;
import io.testsync.server.runs.Member;
import io.testsync.server.runs.Membership;
import io.testsync.server.runs.Outcome;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.TopicMessage;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One member's place in a run kept in Redis: each call is one operation of the coordination script;
 * the refusals are the same texts as on one node. What this node keeps of the member (its topic
 * subscriptions and its lock waits' timers) is touched on the coordinator's context only.
 */
final class ClusterMembership implements Membership {
    /** SPEC §9.3: counters stay within ±(2^53 - 1). */
    static final long MAX_MAGNITUDE = (1L << 53) - 1;
    private static final Set<ClusterMembership> PENDING_LEAVES = ConcurrentHashMap.newKeySet();

    private final RedisCoordinator c;
    private final String testId;
    private final Member member;
    /** The connection's id in Redis: this node incarnation's name and the member's id, unique in the cluster. */
    final String conn;
    /** Subscriptions of this member by topic; on the coordinator's context. */
    final Map<String, TopicFeed> feeds = new HashMap<>();
    /** Timers of this member's lock waits by wait token; on the coordinator's context. */
    final Map<String, Long> lockTimers = new HashMap<>();
    private volatile boolean left;

    ClusterMembership(RedisCoordinator c, String testId, Member member) {
        this.c = c;
        this.testId = testId;
        this.member = member;
        this.conn = c.incarnation + "/" + member.id();
    }

    Member member() {
        return member;
    }

    @Override
    public String testId() {
        return testId;
    }

    @Override
    public CompletionStage<Integer> connectionCount() {
        return call(List.of("count"), r -> r.toInteger());
    }

    @Override
    public CompletionStage<JoinOutcome> join(CheckpointJoin join, String replyId) {
        var s = c.settings;
        return ask(List.of("join", conn, join.identifier(), Integer.toString(join.targetCount()),
                Long.toString(join.timeoutMs() == null ? -1 : join.timeoutMs()), join.failOnLeave() ? "1" : "0",
                reply(replyId), Integer.toString(s.maxCheckpointsPerRun()), Long.toString(s.defaultTimeoutMs()),
                Long.toString(s.releaseLeadMs())), r -> switch (r.get(0).toString()) {
            case "limit" -> JoinOutcome.LIMIT_REACHED;
            case "complete" -> {
                // SPEC §4: a completed checkpoint answers a later join at once with the same release.
                member.release(Release.complete(join.identifier(), r.get(1).toInteger(), r.get(2).toInteger(),
                        r.get(3).toLong()), replyId);
                yield JoinOutcome.RELEASED;
            }
            case "released" -> JoinOutcome.RELEASED;
            default -> {
                long remaining = r.get(1).toLong();
                if (remaining >= 0) c.checkpointTimers.arm(testId, join.identifier(), r.get(2).toString(), remaining);
                yield JoinOutcome.WAITING;
            }
        });
    }

    @Override
    public CompletionStage<Outcome<Long>> signalEntry(String state) {
        return ask(List.of("signal", conn, state, Integer.toString(c.settings.maxStatesPerRun())),
                r -> r.get(0).toString().equals("limit")
                        ? Outcome.<Long>limit("limits.max_states_per_run", c.settings.maxStatesPerRun())
                        : Outcome.ok(r.get(1).toLong()));
    }

    @Override
    public CompletionStage<Outcome<Long>> counter(String name, long add) {
        return ask(List.of("counter", conn, name, Long.toString(add), Integer.toString(c.settings.maxCountersPerRun())),
                r -> switch (r.get(0).toString()) {
                    case "limit" -> Outcome.<Long>limit("limits.max_counters_per_run", c.settings.maxCountersPerRun());
                    case "range" -> Outcome.<Long>invalid("add would take counter " + name + " to "
                            + (Long.parseLong(r.get(1).toString()) + add) + "; values stay within ±" + MAX_MAGNITUDE + " (2^53 - 1)");
                    default -> Outcome.ok(Long.parseLong(r.get(1).toString()));
                });
    }

    @Override
    public CompletionStage<Outcome<Long>> publish(String topic, String payload) {
        var s = c.settings;
        return ask(List.of("publish", conn, topic, payload, Integer.toString(s.maxTopicsPerRun()),
                Integer.toString(s.maxMessagesPerTopic())), r -> {
            if (!r.get(0).toString().equals("limit")) return Outcome.ok(r.get(1).toLong());
            return r.get(1).toString().equals("topics")
                    ? Outcome.limit("limits.max_topics_per_run", s.maxTopicsPerRun())
                    : Outcome.limit("limits.max_messages_per_topic", s.maxMessagesPerTopic());
        });
    }

    @Override
    public CompletionStage<Outcome<List<TopicMessage>>> subscribe(String topic, long fromSeq, String replyId) {
        CompletableFuture<Outcome<List<TopicMessage>>> result = new CompletableFuture<>();
        c.onContext(() -> {
            if (feeds.containsKey(topic)) {
                result.complete(Outcome.invalid("this connection already subscribes to topic " + topic + "; unsubscribe first"));
                return;
            }
            // In place before the script reads the stream: a message published after that read is held
            // here until the replay is out (deduplicated by seq), so nothing falls between them.
            TopicFeed feed = new TopicFeed(topic, fromSeq, replyId);
            feeds.put(topic, feed);
            c.eval(testId, List.of("subscribe", conn, topic, Long.toString(fromSeq),
                    Integer.toString(c.settings.maxTopicsPerRun()))).onComplete(done -> {
                if (done.failed() || !done.result().get(0).toString().equals("ok")) {
                    feeds.remove(topic, feed);
                    if (done.failed()) {
                        result.completeExceptionally(done.cause());
                        return;
                    }
                    String why = done.result().get(0).toString();
                    if (why.equals("gone")) {
                        gone(result);
                    } else {
                        result.complete(why.equals("limit")
                                ? Outcome.limit("limits.max_topics_per_run", c.settings.maxTopicsPerRun())
                                : Outcome.invalid("this connection already subscribes to topic " + topic + "; unsubscribe first"));
                    }
                    return;
                }
                Response r = done.result();
                List<TopicMessage> replay = new ArrayList<>();
                for (int i = 1; i + 2 < r.size(); i += 3) {
                    replay.add(new TopicMessage(topic, Long.parseLong(r.get(i).toString()), r.get(i + 1).toString(),
                            Long.parseLong(r.get(i + 2).toString())));
                }
                List<TopicMessage> held = feed.replayed(replay);
                result.complete(Outcome.ok(replay));
                // after the reply and its replay: those are written first on the member's loop
                for (TopicMessage m : held) member.message(m, replyId);
            });
        });
        return result;
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String topic) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        c.onContext(() -> {
            feeds.remove(topic);
            c.eval(testId, List.of("unsubscribe", conn, topic)).onComplete(done -> {
                if (done.failed()) {
                    result.completeExceptionally(done.cause());
                } else if (done.result().get(0).toString().equals("gone")) {
                    gone(result);
                } else {
                    result.complete(done.result().get(1).toLong() == 1);
                }
            });
        });
        return result;
    }

    @Override
    public CompletionStage<Outcome<Long>> lock(String name, Long timeoutMs, String replyId) {
        return ask(List.of("lock", conn, name, reply(replyId), Integer.toString(c.settings.maxLocksPerRun())),
                r -> switch (r.get(0).toString()) {
                    case "limit" -> Outcome.<Long>limit("limits.max_locks_per_run", c.settings.maxLocksPerRun());
                    case "holds" -> Outcome.<Long>invalid("this connection already holds lock " + name);
                    case "waits" -> Outcome.<Long>invalid("this connection already waits for lock " + name);
                    case "granted" -> Outcome.ok(r.get(1).toLong());
                    default -> {
                        long timeout = timeoutMs != null ? timeoutMs : c.settings.defaultTimeoutMs();
                        if (timeout > 0) armLockTimer(name, r.get(1).toString(), timeout, replyId);
                        yield Outcome.ok(0L);
                    }
                });
    }

    private void armLockTimer(String name, String token, long timeoutMs, String replyId) {
        lockTimers.put(token, c.vertx.setTimer(timeoutMs, id -> c.onContext(() -> {
            if (lockTimers.remove(token) == null) return;
            c.eval(testId, List.of("lock_expire", conn, name, token)).onComplete(done -> {
                if (done.succeeded() && done.result().get(0).toString().equals("expired")) member.lockTimedOut(name, replyId);
                else if (done.failed()) armLockTimer(name, token, 1_000, replyId); // Redis away: decide once it is back
            });
        })));
    }

    /** The grant of a wait of this member arrived: its timer stops. On the coordinator's context. */
    void granted(String token) {
        Long timer = lockTimers.remove(token);
        if (timer != null) c.vertx.cancelTimer(timer);
    }

    @Override
    public CompletionStage<Boolean> unlock(String name) {
        return ask(List.of("unlock", conn, name), r -> r.get(1).toLong() == 1);
    }

    @Override
    public void leave() {
        if (left) return;
        left = true;
        c.onContext(() -> {
            c.forget(this);
            feeds.clear();
            lockTimers.values().forEach(c.vertx::cancelTimer);
            lockTimers.clear();
            sendLeave();
        });
    }

    private void sendLeave() {
        c.leavesInFlight.incrementAndGet();
        c.eval(testId, List.of("leave", conn, Long.toString(c.settings.releaseLeadMs()))).onComplete(done -> {
            c.leavesInFlight.decrementAndGet();
            if (done.failed()) {
                // Redis away: the connection must still stop counting once it is back.
                PENDING_LEAVES.add(this);
            } else {
                PENDING_LEAVES.remove(this);
                c.runs.dropIfEmpty(testId); // the last member of a run without state: the run is gone, as on one node
            }
        });
    }

    /** Leaves sent and not answered yet, or waiting to be sent again. */
    static int leavesInFlight(RedisCoordinator c) {
        int pending = 0;
        for (ClusterMembership m : PENDING_LEAVES) if (m.c == c) pending++;
        return pending + c.leavesInFlight.get();
    }

    static void retryPendingLeaves(RedisCoordinator c) {
        for (ClusterMembership m : List.copyOf(PENDING_LEAVES)) {
            if (m.c == c) m.sendLeave();
        }
    }

    /** A member-scoped call: "gone" (this node's connections were evicted) fails it and closes the connection. */
    private <T> CompletionStage<T> ask(List<?> args, Function<Response, T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        c.onContext(() -> c.eval(testId, args).onComplete(done -> settle(done.succeeded() ? done.result() : null,
                done.cause(), answer, result)));
        return result;
    }

    private <T> CompletionStage<T> call(List<?> args, Function<Response, T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<Response> f = c.eval(testId, args);
        f.onComplete(done -> settle(done.succeeded() ? done.result() : null, done.cause(), answer, result));
        return result;
    }

    private <T> void settle(Response r, Throwable failure, Function<Response, T> answer, CompletableFuture<T> result) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else if (r != null && r.type() == io.vertx.redis.client.ResponseType.MULTI && r.size() > 0
                && r.get(0).toString().equals("gone")) {
            gone(result);
        } else {
            try {
                result.complete(answer.apply(r));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    private void gone(CompletableFuture<?> result) {
        result.completeExceptionally(new IllegalStateException("connection " + member.id() + " is no longer part of run "
                + testId + " (its node lost its cluster lease)"));
        member.disconnect(1012, "node lost its cluster lease: reconnect");
    }

    /** A reply id as the script stores it: "" for none (an id's JSON text is never empty). */
    private static String reply(String replyId) {
        return replyId == null ? "" : replyId;
    }

    @Override
    public String toString() {
        return "membership of " + member.id() + " in run " + testId + " on node " + c.nodeId;
    }
}
