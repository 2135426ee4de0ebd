package io.testsync.server.cluster;

import io.testsync.server.config.RedisUrl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's connections to one Redis: a pool for commands and scripts, and one dedicated
 * connection for pub/sub that reconnects and resubscribes by itself ({@link Subscriber}). Shared by
 * the Redis storage and the cluster coordination.
 *
 * <p>Nothing here blocks. Futures complete on Vert.x event loops; callers hop to their own context
 * (or thread) before doing real work. A future fails when Redis is unreachable, answers an error, or
 * does not answer within {@link Options#commandTimeoutMs()}; once Redis is back, the next command
 * opens a new pooled connection, so nothing needs restarting.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    /**
     * Tuning of the connections.
     *
     * @param poolSize         pooled command connections; a command holds one for its round trip
     * @param poolWaiting      commands that may wait for a pooled connection; beyond, they fail at once
     * @param connectTimeoutMs a connection attempt that has not succeeded by then fails
     * @param commandTimeoutMs a command not answered by then fails (its effect in Redis is then unknown)
     * @param reconnectMinMs   first delay before the pub/sub connection is tried again; it doubles per failure
     * @param reconnectMaxMs   longest delay between two pub/sub connection attempts
     * @param heartbeatMs      a PING on the pub/sub connection this often; one unanswered by the next ends
     *                         the connection (so a half-open one is noticed within twice this); 0: none
     */
    public record Options(int poolSize, int poolWaiting, long connectTimeoutMs, long commandTimeoutMs,
                          long reconnectMinMs, long reconnectMaxMs, long heartbeatMs) {
        /** The pub/sub heartbeat of {@link #defaults()}. */
        public static final long DEFAULT_HEARTBEAT_MS = 2_000;

        /** With the default heartbeat. */
        public Options(int poolSize, int poolWaiting, long connectTimeoutMs, long commandTimeoutMs,
                       long reconnectMinMs, long reconnectMaxMs) {
            this(poolSize, poolWaiting, connectTimeoutMs, commandTimeoutMs, reconnectMinMs, reconnectMaxMs, DEFAULT_HEARTBEAT_MS);
        }

        public Options {
            if (heartbeatMs < 0) throw new IllegalArgumentException("heartbeatMs must not be negative, was " + heartbeatMs);
            if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
            if (poolWaiting < 0) throw new IllegalArgumentException("poolWaiting must not be negative, was " + poolWaiting);
            if (connectTimeoutMs < 1 || commandTimeoutMs < 1) throw new IllegalArgumentException("timeouts must be at least 1 ms");
            if (reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs) {
                throw new IllegalArgumentException("reconnect delays must satisfy 1 <= min <= max, were " + reconnectMinMs + ", " + reconnectMaxMs);
            }
        }

        /**
         * Eight connections (Redis executes one command at a time anyway), 2 s to connect, 5 s per
         * command: well inside the 10 s an HTTP request may take, so a Redis that stops answering
         * gives a clean 500, not the request timeout's 503. A PING on the pub/sub connection every 2 s.
         */
        public static Options defaults() {
            return new Options(8, 100_000, 2_000, 5_000, 50, 2_000);
        }
    }

    private final RedisUrl url;
    private final Options options;
    private final Redis commands;
    private final List<Redis> pubsub = new ArrayList<>();
    private final Subscriber subscriber;
    private final Vertx vertx;
    /** On a Redis Cluster: one client per master, for what goes to every node (SCAN), made on first use. */
    private final java.util.Map<String, Redis> masters = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong scriptReloads = new AtomicLong();
    private volatile ClockOffset clockOffset = ClockOffset.NONE;
    private volatile boolean closed;

    private RedisLink(Vertx vertx, RedisUrl url, Options options) {
        this.url = url;
        this.options = options;
        RedisOptions pool = redisOptions(url, options, options.poolSize(), options.poolWaiting());
        // A command connection that reads nothing for this long is closed, failing what waits on it: without
        // it a connection cut without FIN/RST (a partition) would hold its pool slot until TCP keepalive
        // gives up, hours later. Not for the subscriber, which may legitimately hear nothing for long.
        pool.getNetClientOptions().setReadIdleTimeout((int) Math.max(30, TimeUnit.MILLISECONDS.toSeconds(3 * options.commandTimeoutMs())));
        this.commands = Redis.createClient(vertx, pool);
        // On a Redis Cluster, PUBLISH reaches the subscribers of every node (Redis < 7 has no sharded
        // pub/sub), so the subscriber needs one node only, each as a single Redis, the next when one fails.
        // RESP3: messages come as push frames, so the heartbeat's PONG is never taken for one, nor one for it.
        for (String node : url.isCluster() ? url.cluster() : List.of("")) {
            RedisUrl one = url.isCluster() ? node(url, node) : url;
            pubsub.add(Redis.createClient(vertx, redisOptions(one, options, 1, 16)
                    .setPreferredProtocolVersion(io.vertx.redis.client.ProtocolVersion.RESP3)));
        }
        this.vertx = vertx;
        // Its own event-loop context: subscription state lives on one thread whoever calls.
        Context context = vertx.getOrCreateContext();
        this.subscriber = new Subscriber(vertx, context, pubsub, url.toString(), options.reconnectMinMs(), options.reconnectMaxMs(), options.heartbeatMs());
    }

    /** A link whose connections open on first use; no I/O yet. Call from outside an event loop's verticle context. */
    public static RedisLink create(Vertx vertx, RedisUrl url, Options options) {
        return new RedisLink(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(url, "url"),
                Objects.requireNonNull(options, "options"));
    }

    /**
     * A link that has proven itself: it loaded {@code scripts} ({@code SCRIPT LOAD}, which also proves
     * the address and the credentials) and measured the clock offset. Fails, closing the link, when not.
     */
    public static Future<RedisLink> open(Vertx vertx, RedisUrl url, Options options, List<Script> scripts) {
        RedisLink link = create(vertx, url, options);
        return link.load(scripts)
                .compose(v -> link.measureClockOffset(5))
                .map(offset -> link)
                .onFailure(e -> link.close());
    }

    private static RedisOptions redisOptions(RedisUrl url, Options options, int poolSize, int poolWaiting) {
        RedisOptions redis = new RedisOptions().setType(url.isCluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE);
        for (String address : url.addresses()) redis.addConnectionString(address);
        redis.setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(poolWaiting)
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
                        .setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
        if (url.password() != null) redis.setPassword(url.password());
        if (url.user() != null) redis.setUser(url.user());
        return redis;
    }

    /** Node {@code hostPort} of a Redis Cluster's URL as a single Redis, with the URL's credentials. */
    private static RedisUrl node(RedisUrl url, String hostPort) {
        RedisUrl node = RedisUrl.parse("redis://" + hostPort);
        return new RedisUrl(node.host(), node.port(), url.user(), url.password(), 0);
    }

    /** The Redis this link talks to (password masked in its toString). */
    public RedisUrl url() {
        return url;
    }

    /** One command on a pooled connection. A nil reply completes with null. */
    public Future<Response> send(Request request) {
        Objects.requireNonNull(request, "request");
        if (closed) return Future.failedFuture(new IllegalStateException("the Redis link is closed"));
        // What Redis.send does, plus our own exception handler on the connection: the client's default
        // one logs an ERROR with a stack trace for every pooled connection a Redis restart closes; the
        // failure reaches the caller anyway, and storage logs an outage once (StoreFaults).
        return commands.connect().compose(connection -> {
            connection.exceptionHandler(RedisLink::connectionFailed);
            return connection.send(request).andThen(done -> connection.close());
        }).timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS).onFailure(failure -> {
            if (failure instanceof java.util.concurrent.TimeoutException) {
                log.warn("Redis at {} did not answer {} within {} ms", url, request.command(), options.commandTimeoutMs());
            }
        });
    }

    private static void connectionFailed(Throwable failure) {
        log.debug("a pooled Redis connection failed: {}", failure.toString());
    }

    /** {@code SCRIPT LOAD} of each script; fails if Redis computes another SHA-1 than {@link Script#sha1()}. */
    public Future<Void> load(List<Script> scripts) {
        List<Future<Void>> loads = new ArrayList<>();
        for (Script script : scripts) loads.add(load(script));
        return Future.all(loads).mapEmpty();
    }

    private Future<Void> load(Script script) {
        Request load = Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source());
        Future<List<Response>> loaded = url.isCluster() ? onAllMasters(load) : send(load).map(List::of);
        return loaded.compose(shas -> {
            for (Response sha : shas) {
                if (sha == null || !script.sha1().equals(sha.toString())) {
                    return Future.failedFuture(new IllegalStateException("Redis loaded script " + script.name()
                            + " as " + sha + ", expected " + script.sha1()));
                }
            }
            return Future.<Void>succeededFuture();
        });
    }

    /** One request on every master of the Redis Cluster (scripts are cached per node). */
    private Future<List<Response>> onAllMasters(Request request) {
        if (closed) return Future.failedFuture(new IllegalStateException("the Redis link is closed"));
        return commands.connect().compose(connection -> {
            connection.exceptionHandler(RedisLink::connectionFailed);
            return io.vertx.redis.client.RedisCluster.create(connection).onAllMasterNodes(request)
                    .andThen(done -> connection.close());
        }).timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Every key matching {@code pattern}, page by page ({@code SCAN}; on a Redis Cluster, on each master
     * in turn): {@code page} gets each page's keys and the walk goes on when its future completes. A key
     * may come twice (SCAN's own guarantee).
     */
    public Future<Void> scan(String pattern, int count, java.util.function.Function<List<String>, Future<Void>> page) {
        if (!url.isCluster()) return scanFrom(this::send, "0", pattern, count, page);
        return masterAddresses().compose(addresses -> {
            Future<Void> walk = Future.succeededFuture();
            for (String address : addresses) {
                Redis master = masters.computeIfAbsent(address, a -> Redis.createClient(vertx, redisOptions(node(url, a), options, 2, 16)));
                java.util.function.Function<Request, Future<Response>> sender = request -> master.send(request)
                        .timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS);
                walk = walk.compose(v -> scanFrom(sender, "0", pattern, count, page));
            }
            return walk;
        });
    }

    private Future<Void> scanFrom(java.util.function.Function<Request, Future<Response>> sender, String cursor, String pattern,
                                  int count, java.util.function.Function<List<String>, Future<Void>> page) {
        Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(count);
        return sender.apply(scan).compose(reply -> {
            String next = reply.get(0).toString();
            List<String> keys = new ArrayList<>();
            for (Response key : reply.get(1)) keys.add(key.toString());
            return page.apply(keys).compose(v -> "0".equals(next) ? Future.<Void>succeededFuture()
                    : scanFrom(sender, next, pattern, count, page));
        });
    }

    /** The masters of the Redis Cluster now, as {@code host:port}, from {@code CLUSTER SLOTS}. */
    private Future<List<String>> masterAddresses() {
        return send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(slots -> {
            java.util.Set<String> found = new java.util.LinkedHashSet<>();
            for (Response range : slots) {
                Response master = range.get(2);
                String host = master.get(0).toString();
                if (host.isEmpty()) host = url.host();
                found.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + master.get(1).toLong());
            }
            return List.copyOf(found);
        });
    }

    /**
     * {@code EVALSHA} of the script with these keys and arguments (each a String, byte[], Buffer, Long
     * or Integer). When Redis has lost the script ({@code NOSCRIPT}: it restarted, or SCRIPT FLUSH) it
     * is loaded again and the call repeated once, so callers never see it.
     */
    public Future<Response> evalScript(Script script, List<String> keys, List<?> args) {
        Objects.requireNonNull(script, "script");
        return send(evalsha(script, keys, args)).recover(failure -> {
            if (!isNoScript(failure)) return Future.failedFuture(failure);
            scriptReloads.incrementAndGet();
            // EVAL goes where the keys are (on a Redis Cluster, the node that lost it) and caches it there
            return send(eval(Command.EVAL, script.source(), keys, args));
        });
    }

    private static Request evalsha(Script script, List<String> keys, List<?> args) {
        return eval(Command.EVALSHA, script.sha1(), keys, args);
    }

    private static Request eval(Command command, String scriptOrSha, List<String> keys, List<?> args) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof String s) {
                request.arg(s);
            } else if (arg instanceof byte[] b) {
                request.arg(b);
            } else if (arg instanceof Buffer b) {
                request.arg(b);
            } else if (arg instanceof Long l) {
                request.arg(l);
            } else if (arg instanceof Integer i) {
                request.arg(i);
            } else {
                throw new IllegalArgumentException("script argument must be a String, byte[], Buffer, Long or Integer, was "
                        + (arg == null ? "null" : arg.getClass().getName()));
            }
        }
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    /** How many times a script had to be loaded again after {@code NOSCRIPT}. */
    public long scriptReloads() {
        return scriptReloads.get();
    }

    /** Redis's clock now ({@code TIME}), in unix milliseconds. */
    public Future<Long> redisTimeMs() {
        return send(Request.cmd(Command.TIME)).map(RedisLink::millis);
    }

    private static long millis(Response time) {
        return Long.parseLong(time.get(0).toString()) * 1_000 + Long.parseLong(time.get(1).toString()) / 1_000;
    }

    /**
     * Measures how far Redis's clock is from this JVM's with {@code samples} {@code TIME} round trips,
     * one after another, and keeps the sample with the shortest round trip (the tightest bound). The
     * result is also what {@link #clockOffset()} answers from then on.
     */
    public Future<ClockOffset> measureClockOffset(int samples) {
        if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, was " + samples);
        Future<ClockOffset> best = sample();
        for (int i = 1; i < samples; i++) {
            best = best.compose(sofar -> sample().map(next -> next.roundTripMs() < sofar.roundTripMs() ? next : sofar));
        }
        return best.onSuccess(offset -> clockOffset = offset);
    }

    private Future<ClockOffset> sample() {
        long startNanos = System.nanoTime();
        long startMs = System.currentTimeMillis();
        return send(Request.cmd(Command.TIME)).map(time -> {
            long rttNanos = System.nanoTime() - startNanos;
            long redisMicros = Long.parseLong(time.get(0).toString()) * 1_000_000 + Long.parseLong(time.get(1).toString());
            // Redis read its clock somewhere in the round trip; the middle is the best guess.
            double localMidMicros = startMs * 1_000.0 + rttNanos / 2_000.0;
            return new ClockOffset(Math.round((redisMicros - localMidMicros) / 1_000.0), rttNanos / 1_000_000);
        });
    }

    /** The last measured offset ({@link ClockOffset#NONE} before the first measurement). */
    public ClockOffset clockOffset() {
        return clockOffset;
    }

    /** This instant on Redis's clock, without a round trip: local time plus the last measured offset. */
    public long sharedNowMs() {
        return clockOffset.toRedis(System.currentTimeMillis());
    }

    /** Subscribes {@code handler} to a channel on the dedicated pub/sub connection. */
    public Subscription subscribe(String channel, SubscriptionHandler handler) {
        return subscriber.subscribe(channel, handler);
    }

    /** Subscribes {@code handler} to a glob pattern of channels ({@code PSUBSCRIBE}). */
    public Subscription psubscribe(String pattern, SubscriptionHandler handler) {
        return subscriber.psubscribe(pattern, handler);
    }

    /** {@code PUBLISH}; answers how many subscribers (connections, over all nodes) received it. */
    public Future<Long> publish(String channel, Buffer payload) {
        return send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload)).map(Response::toLong);
    }

    /** Whether the pub/sub connection is up at this moment (it is opened by the first subscription). */
    public boolean subscriberConnected() {
        return subscriber.connected();
    }

    /** How many times the pub/sub connection was re-established after a loss. */
    public long subscriberReconnects() {
        return subscriber.reconnects();
    }

    /** Closes both clients; commands in flight fail. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        subscriber.close();
        try {
            commands.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (Redis master : masters.values()) master.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (Redis client : pubsub) client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing sockets that are already gone; nothing is lost by not waiting longer
        }
    }
}
