package io.testsync.server.store;

import io.testsync.server.cluster.RedisLink;
import io.testsync.server.cluster.RunKeys;
import io.testsync.server.cluster.Script;
import io.testsync.server.config.ConfigException;
import io.testsync.server.config.RedisUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The {@code redis} backend: each run's data is one hash, {@code testsync:{<testID>}:data}, holding
 * the bytes, the content type and the write time. Durability is Redis's own: a future completes once
 * Redis has applied the change, and with AOF {@code appendfsync always} Redis has written it to disk
 * before it answers (README, "Redis storage").
 *
 * <p>When Redis is unreachable every call fails with {@link StoreException} (so the edges answer
 * {@code 500} / {@code internal_error} and {@code /readyz} 503) and works again once Redis is back.
 * Futures complete on Vert.x event loops; callers hop to their own context. The byte array of a
 * write must not be modified until its future completes.
 */
public final class RedisStore implements DataStore {
    static final String DATA = "data";
    static final String READINESS_KEY = RunKeys.PREFIX + "readiness";
    private static final int SCAN_COUNT = 500;
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    /** Stores only when the run has no data: {@code 1} stored, {@code 0} not. */
    static final Script CREATE = Script.of("create", """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'bytes', ARGV[1], 'type', ARGV[2], 'at', ARGV[3])
            return 1
            """);

    /**
     * Retention: removes the data only if still written before the cutoff, so a racing write keeps the run;
     * in cluster mode also only while the run (same hash tag, so the same slot) has no connection on any
     * node and no coordination activity since the cutoff.
     */
    static final Script REMOVE_IF_IDLE = Script.of("remove_if_idle", """
            local run = string.sub(KEYS[1], 1, -5)
            if redis.call('ZCARD', run .. 'members') > 0 or tonumber(redis.call('GET', run .. 'act') or '0') >= tonumber(ARGV[1]) then
              return 0
            end
            local at = redis.call('HGET', KEYS[1], 'at')
            if at and tonumber(at) < tonumber(ARGV[1]) then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """);

    private final RedisLink link;
    private final boolean ownsLink;
    private final LongSupplier clock;
    private final KeyedLanes lanes = new KeyedLanes();
    private volatile boolean closed;

    private RedisStore(RedisLink link, boolean ownsLink, LongSupplier clock) {
        this.link = link;
        this.ownsLink = ownsLink;
        this.clock = clock;
    }

    /**
     * Connects to {@code storage.redis_url} with a link of its own and loads the scripts.
     *
     * @param clock unix milliseconds, the write time retention compares with its cutoff
     * @throws ConfigException Redis cannot be reached or refuses the credentials: one line naming the
     *                         key, the address (password masked) and the cause
     */
    public static RedisStore open(Vertx vertx, RedisUrl url, LongSupplier clock) throws ConfigException {
        Future<RedisLink> opening = RedisLink.open(vertx, url, RedisLink.Options.defaults(), List.of(CREATE, REMOVE_IF_IDLE));
        try {
            RedisLink link = opening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new RedisStore(link, true, clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("storage.redis_url: interrupted while connecting to Redis at " + url);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            String reason = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ");
            throw new ConfigException("storage.redis_url: cannot use Redis at " + url + " (" + reason
                    + "); start Redis there, or fix storage.redis_url (host, port, user:password)");
        }
    }

    /** A store on a link someone else owns and closes (the cluster's); loads the scripts first. */
    public static Future<RedisStore> on(RedisLink link, LongSupplier clock) {
        return link.load(List.of(CREATE, REMOVE_IF_IDLE)).map(v -> new RedisStore(link, false, clock));
    }

    static String key(String testId) {
        return RunKeys.key(testId, DATA);
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        // Not in the run's lane: reads need no order among themselves (1000 agents reading one run go
        // side by side), and a read submitted after an acknowledged write is sent after it, so sees it.
        return call("read " + testId,
                link.send(Request.cmd(Command.HMGET).arg(key(testId)).arg("bytes").arg("type")).map(RedisStore::data));
    }

    private static Optional<StoredData> data(Response reply) {
        Response bytes = reply == null ? null : reply.get(0);
        Response type = reply == null ? null : reply.get(1);
        if (bytes == null || type == null) return Optional.empty();
        byte[] value = bytes.toBytes();
        return Optional.of(new StoredData(value == null ? new byte[0] : value, type.toString()));
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(data, "data");
        if (closed) return closedFuture();
        // The write time is taken now, in submission order; the array is sent as is (no 10 MiB copy): as with
        // SQLite, the caller leaves it alone until this future completes.
        List<Object> args = List.of(data.bytes(), data.contentType(), Long.toString(clock.getAsLong()));
        return lanes.submit(testId, () -> call("create " + testId,
                link.evalScript(CREATE, List.of(key(testId)), args).map(r -> r.toLong() == 1)));
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(data, "data");
        if (closed) return closedFuture();
        Request hset = Request.cmd(Command.HSET).arg(key(testId)).arg("bytes").arg(data.bytes())
                .arg("type").arg(data.contentType()).arg("at").arg(Long.toString(clock.getAsLong()));
        return lanes.submit(testId, () -> call("write " + testId, link.send(hset).<Void>mapEmpty()));
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        return lanes.submit(testId, () -> call("delete " + testId,
                link.send(Request.cmd(Command.DEL).arg(key(testId))).map(r -> r.toLong() > 0)));
    }

    /**
     * Walks the data keys with {@code SCAN} (no index to keep consistent: a crash between a write and
     * an index update could otherwise leave data that retention never finds), reads each write time,
     * and removes the idle ones with a script that checks the time again inside Redis.
     */
    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        Objects.requireNonNull(keep, "keep");
        if (closed) return closedFuture();
        Set<String> seen = ConcurrentHashMap.newKeySet(); // SCAN may return a key twice
        ConcurrentLinkedQueue<String> removed = new ConcurrentLinkedQueue<>();
        return call("retention sweep", scanFrom("0", cutoffUnixMs, keep, seen, removed).map(v -> List.copyOf(removed)));
    }

    private Future<Void> scanFrom(String cursor, long cutoff, Predicate<String> keep, Set<String> seen,
                                  ConcurrentLinkedQueue<String> removed) {
        return link.scan(RunKeys.pattern(DATA), SCAN_COUNT, keys -> {
            List<Future<Void>> work = new ArrayList<>();
            for (String key : keys) {
                String testId = RunKeys.testIdOf(key, DATA);
                if (testId != null && seen.add(testId)) work.add(removeIfIdle(key, testId, cutoff, keep, removed));
            }
            return Future.all(work).mapEmpty();
        });
    }

    private Future<Void> removeIfIdle(String key, String testId, long cutoff, Predicate<String> keep,
                                      ConcurrentLinkedQueue<String> removed) {
        return link.send(Request.cmd(Command.HGET).arg(key).arg("at")).compose(at -> {
            // keep is asked only about runs written before the cutoff (the contract)
            if (at == null || Long.parseLong(at.toString()) >= cutoff || keep.test(testId)) return Future.succeededFuture();
            return link.evalScript(REMOVE_IF_IDLE, List.of(key), List.of(Long.toString(cutoff))).map(r -> {
                if (r.toLong() == 1) removed.add(testId);
                return null;
            });
        });
    }

    /** Readiness: a write to a key outside the runs' data, so a read-only replica, a full or failing Redis is not ready. */
    @Override
    public CompletableFuture<Void> check() {
        if (closed) return closedFuture();
        Request probe = Request.cmd(Command.SET).arg(READINESS_KEY).arg(Long.toString(clock.getAsLong())).arg("PX").arg(60_000);
        return call("readiness probe", link.send(probe).<Void>mapEmpty());
    }

    /** Waits (up to 10 s) for the operations already accepted, then closes the link if it is this store's. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            lanes.drained().get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still unanswered after the timeout: they fail when the link closes
        }
        if (ownsLink) link.close();
    }

    private <T> CompletableFuture<T> call(String what, Future<T> redis) {
        CompletableFuture<T> result = new CompletableFuture<>();
        redis.onComplete(value -> result.complete(value), failure -> result.completeExceptionally(
                new StoreException("Redis at " + link.url() + " failed (" + what + "): " + failure.getMessage(), failure)));
        return result;
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new StoreException("store is closed"));
    }
}
