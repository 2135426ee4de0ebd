package io.testsync.server.cluster;

import io.testsync.server.config.Config;
import io.testsync.server.config.ConfigException;
import io.testsync.server.runs.Coordinator;
import io.testsync.server.runs.Member;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.runs.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Coordinator} of a cluster node (SPEC §11): the runs live in Redis, every decision is one call
 * of the coordination script, and what a decision means for members reaches each node over the run's
 * pub/sub channel; each node delivers to the members it holds (a member lives on exactly one node).
 *
 * <p>State of this node (its members, their subscriptions and timers) is touched on one Vert.x
 * context only, {@link #context}: script replies and channel messages are both moved there, so the
 * order in which this node learns things is the order in which it acts on them.
 */
public final class RedisCoordinator implements Coordinator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCoordinator.class);
    static final String MAX_CONNECTIONS = "limits.max_connections";
    static final String MAX_CONNECTIONS_PER_RUN = "limits.max_connections_per_run";
    static final String MAX_RUNS = "limits.max_runs";

    final Vertx vertx;
    final RedisLink link;
    final Context context;
    final RunRegistry.Settings settings;
    final String nodeId;
    /**
     * This run of the node: its id and a start-unique suffix. Leases, and connections in Redis, belong to
     * the incarnation, so a node restarted within its lease does not inherit its former connections:
     * those expire with the former incarnation's lease and are cleaned up like any dead node's.
     */
    final String incarnation;
    /** This node's members by connection id; a channel message names the connections it is for. */
    final Map<String, ClusterMembership> members = new ConcurrentHashMap<>();
    /** This node's members by run: a channel message of a run with none here is dropped unread. */
    final Map<String, Set<ClusterMembership>> byRun = new ConcurrentHashMap<>();
    final CheckpointTimers checkpointTimers = new CheckpointTimers(this);
    private final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger leavesInFlight = new AtomicInteger();
    private final RunEvents events;
    /** The cluster's set of runs (limits.max_runs, the management API's list, retention). */
    final ClusterRuns runs;
    private final NodeLease lease;
    private Subscription channel;
    private final java.util.ArrayDeque<ClockOffset> offsetSamples = new java.util.ArrayDeque<>();
    private volatile ClockOffset offset = ClockOffset.NONE;

    private RedisCoordinator(Vertx vertx, RedisLink link, RunRegistry.Settings settings, String nodeId, long leaseMs) {
        this.vertx = vertx;
        this.link = link;
        // a context of its own, created off any verticle: never one of the agents' loops' contexts
        this.context = vertx.getOrCreateContext();
        this.settings = settings;
        this.nodeId = nodeId;
        this.incarnation = nodeId + "#" + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 20), 36);
        this.events = new RunEvents(this);
        this.runs = new ClusterRuns(link);
        this.lease = new NodeLease(this, leaseMs);
    }

    /**
     * Joins the cluster: loads the scripts, measures the offset to Redis's clock, listens to every
     * run's channel and takes this node's lease. Call from outside the event loops.
     */
    public static Future<RedisCoordinator> open(Vertx vertx, RedisLink link, RunRegistry.Settings settings,
                                                String nodeId, long leaseMs) {
        RedisCoordinator c = new RedisCoordinator(Objects.requireNonNull(vertx), Objects.requireNonNull(link),
                Objects.requireNonNull(settings), Objects.requireNonNull(nodeId), leaseMs);
        return link.load(List.of(Scripts.COORDINATION, Scripts.LEASE))
                .compose(v -> link.measureClockOffset(10))
                .compose(offset -> {
                    c.offsetSample(offset);
                    c.channel = link.psubscribe(RunKeys.pattern("ev"), c.events);
                    return c.channel.ready();
                })
                .compose(v -> c.lease.start())
                .map(v -> c);
    }

    /**
     * {@link #open} on a new link to {@code cluster.redis_url}, waited for; the link is this coordinator's.
     *
     * @throws ConfigException when Redis cannot be reached or refuses the scripts: one line for stderr
     */
    public static RedisCoordinator join(Vertx vertx, Config.Cluster cluster, RunRegistry.Settings settings) throws ConfigException {
        RedisLink link = RedisLink.create(vertx, cluster.redisUrl(), RedisLink.Options.defaults());
        try {
            RedisCoordinator c = open(vertx, link, settings, cluster.nodeId(), cluster.nodeLeaseMs())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            log.info("node {} joined the cluster on {} (lease {} ms)", cluster.nodeId(), link.url(), cluster.nodeLeaseMs());
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close();
            throw new IllegalStateException("interrupted while joining the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            link.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ConfigException("cannot join the cluster on " + link.url() + " (cluster.redis_url): " + cause.getMessage()
                    + "; start Redis there or fix cluster.redis_url");
        }
    }

    /**
     * One more measurement of the offset to Redis's clock (the lease takes one per renewal): the offset
     * used is that of the sample with the shortest round trip among the recent ones, the tightest bound,
     * so a round trip slowed by a busy machine does not move this node's start_in_ms. On {@link #context}.
     */
    void offsetSample(ClockOffset sample) {
        offsetSamples.addLast(sample);
        if (offsetSamples.size() > 40) offsetSamples.removeFirst();
        ClockOffset best = sample;
        for (ClockOffset o : offsetSamples) if (o.roundTripMs() < best.roundTripMs()) best = o;
        offset = best;
    }

    /**
     * {@code <node id>.<incarnation's unique part>:}, e.g. {@code node-1.mbx3k2f9q:c17}: connection ids unique
     * over the cluster and over restarts of a node (the node id cut to 80 characters, so an id stays within
     * the 128 a connection id may have).
     */
    @Override
    public String connectionIdPrefix() {
        String unique = incarnation.substring(incarnation.lastIndexOf('#') + 1);
        return (nodeId.length() > 80 ? nodeId.substring(0, 80) : nodeId) + "." + unique + ":";
    }

    /** Whether the pub/sub connection that carries the runs' events is up now (readiness needs it). */
    public boolean eventsConnected() {
        return link.subscriberConnected();
    }

    /** This node's id in the cluster. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public CompletionStage<Admission> admit(String testId, Member member) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(member, "member");
        if (!reserve()) {
            return CompletableFuture.completedFuture(new Admission.Refused(MAX_CONNECTIONS, settings.maxConnections()));
        }
        ClusterMembership membership = new ClusterMembership(this, testId, member);
        // Listed before the decision: a release that names it may arrive before the script's reply.
        members.put(membership.conn, membership);
        byRun.computeIfAbsent(testId, id -> ConcurrentHashMap.newKeySet()).add(membership);
        CompletableFuture<Admission> admission = new CompletableFuture<>();
        // limits.max_runs over the cluster: the run set first. Then the run is in this node's set of runs
        // before the node is in the run (single-key SADD, then the run's script): on Redis Cluster the two
        // live in different slots and no script may touch both.
        long sentAt = link.sharedNowMs();
        runs.reserve(testId, settings.maxRuns()).compose(reserved -> !reserved ? Future.succeededFuture((Response) null)
                : lease.enlist(testId).compose(v -> eval(testId, List.of("admit", membership.conn, member.agent(), incarnation,
                        Integer.toString(settings.maxConnectionsPerRun()), ConnectionInfo.json(member.info())))))
                .onComplete(done -> onContext(() -> {
                    if (done.succeeded() && done.result() != null && done.result().toLong() == 1) {
                        events.admitted(testId, sentAt);
                        admission.complete(new Admission.Admitted(membership));
                        return;
                    }
                    forget(membership);
                    if (done.failed()) {
                        admission.completeExceptionally(done.cause());
                    } else if (done.result() == null) {
                        admission.complete(new Admission.Refused(MAX_RUNS, settings.maxRuns()));
                    } else {
                        admission.complete(new Admission.Refused(MAX_CONNECTIONS_PER_RUN, settings.maxConnectionsPerRun()));
                    }
                }));
        return admission;
    }

    /** A member of this node is gone (it left, or was refused): stop delivering to it. On {@link #context}. */
    void forget(ClusterMembership membership) {
        if (members.remove(membership.conn, membership)) {
            connections.decrementAndGet();
        }
        Set<ClusterMembership> run = byRun.get(membership.testId());
        if (run != null) {
            run.remove(membership);
            byRun.computeIfPresent(membership.testId(), (id, set) -> set.isEmpty() ? null : set);
        }
    }

    private boolean reserve() {
        while (true) {
            int n = connections.get();
            if (n >= settings.maxConnections()) return false;
            if (connections.compareAndSet(n, n + 1)) return true;
        }
    }

    /** One call of the coordination script for run {@code testId}; the result is handled on {@link #context}. */
    Future<Response> eval(String testId, List<String> keys, List<?> args) {
        Promise<Response> result = Promise.promise();
        link.evalScript(Scripts.COORDINATION, keys, args).onComplete(done -> onContext(() -> result.handle(done)));
        return result.future();
    }

    /** {@link #eval} with the run's own key prefix only. */
    Future<Response> eval(String testId, List<?> args) {
        return eval(testId, List.of(RunKeys.key(testId, "")), args);
    }

    void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /**
     * The clock the agents' side of this node uses (server_time_ms, start_in_ms): Redis's, read through
     * this node's measured offset without a round trip, so that start_at means one instant on every node
     * and each node's start_in_ms is start_at minus its own view of that clock. Timers are {@code local}'s.
     */
    public Scheduler clock(Scheduler local) {
        return new Scheduler() {
            @Override
            public long now() {
                return offset.toRedis(System.currentTimeMillis());
            }

            @Override
            public Cancellable schedule(long delayMs, Runnable task) {
                return local.schedule(delayMs, task);
            }
        };
    }

    /** The members of this node in run {@code testId}, a copy. */
    List<ClusterMembership> local(String testId) {
        Set<ClusterMembership> run = byRun.get(testId);
        return run == null ? List.of() : new ArrayList<>(run);
    }

    /** The lease was lost (this node was declared dead and its connections removed): close them all. */
    void leaseLost() {
        log.warn("node {} lost its cluster lease (Redis was out of reach for longer than cluster.node_lease_ms); "
                + "its {} connections were removed by another node and are closed now", nodeId, members.size());
        for (ClusterMembership m : List.copyOf(members.values())) {
            m.member().disconnect(1012, "node lost its cluster lease: reconnect");
        }
    }

    /** Leaves that could not reach Redis are retried with each lease renewal. */
    void retryLeaves() {
        ClusterMembership.retryPendingLeaves(this);
    }

    /**
     * Leaves the cluster: waits (at most 5 s) for this node's members to have left their runs in Redis
     * (the listeners closed their connections), gives the lease back and closes the link.
     */
    @Override
    public void close() {
        lease.stop();
        long until = System.currentTimeMillis() + 5_000;
        while ((!members.isEmpty() || ClusterMembership.leavesInFlight(this) > 0) && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        onContext(checkpointTimers::close);
        try {
            lease.release().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("giving back the lease of node {} failed: {}", nodeId, e.toString());
        }
        if (channel != null) channel.close();
        link.close();
    }
}
