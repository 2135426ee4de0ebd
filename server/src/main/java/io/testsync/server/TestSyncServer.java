package io.testsync.server;

import io.testsync.server.admin.Admin;
import io.testsync.server.admin.DataChanges;
import io.testsync.server.config.Config;
import io.testsync.server.config.ConfigException;
import io.testsync.server.http.Auth;
import io.testsync.server.http.Cors;
import io.testsync.server.http.TestsApi;
import io.testsync.server.cluster.RedisCoordinator;
import io.testsync.server.admin.Fleet;
import io.testsync.server.metrics.RunGauges;
import io.testsync.server.runs.Coordinator;
import io.testsync.server.runs.LocalCoordinator;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.MemoryStore;
import io.testsync.server.store.RedisStore;
import io.testsync.server.store.SqliteStore;
import io.testsync.server.store.StoreOpenException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Wires store, runs, HTTP and WebSocket listeners; start and graceful stop. */
public final class TestSyncServer {
    private static final Logger log = LoggerFactory.getLogger(TestSyncServer.class);

    private final Vertx vertx;
    private final DataStore store;
    private final RunRegistry registry;
    private final int httpPort;
    private final int wsPort;
    private final Operations operations;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Coordinator coordinator;
    private final ClusterParts cluster; // null on a single node

    private TestSyncServer(Vertx vertx, DataStore store, RunRegistry registry, int httpPort, int wsPort, Operations operations,
                           Coordinator coordinator, ClusterParts cluster) {
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.vertx = vertx;
        this.store = store;
        this.registry = registry;
        this.httpPort = httpPort;
        this.wsPort = wsPort;
        this.operations = operations;
    }

    /** {@link #start(Config, Tuning)} with the timings of SPEC. */
    public static TestSyncServer start(Config config) throws ConfigException {
        return start(config, Tuning.SPEC);
    }

    /**
     * Opens storage and binds the listeners; returns once they accept connections.
     *
     * @throws ConfigException when the server cannot run with this configuration (port in use,
     *                         unusable database file); its message is one line for stderr
     */
    public static TestSyncServer start(Config config, Tuning tuning) throws ConfigException {
        return start(config, tuning, CompletableFuture.completedFuture(Boot.now()));
    }

    /** {@link #start(Config, Tuning)} with the metrics and event loops begun by {@link Boot#begin()}. */
    static TestSyncServer start(Config config, Tuning tuning, CompletableFuture<Boot> begun) throws ConfigException {
        Boot boot = begun.join();
        Vertx vertx = boot.vertx();
        var operations = new Operations(config.retention(), boot.metrics());
        DataStore store;
        try {
            DataStore opened = openStore(config.storage(), vertx);
            if (opened instanceof SqliteStore sqlite) countCommits(sqlite, operations);
            store = new DataChanges(operations.wrap(opened));
        } catch (ConfigException | RuntimeException e) {
            operations.close();
            vertx.close();
            throw e;
        }
        int loops = loops();
        Coordinator coordinator = null;
        try {
            var clock = new VertxScheduler(vertx);
            var limits = config.limits();
            var settings = new RunRegistry.Settings(
                    config.checkpoint().releaseLeadMs(), config.checkpoint().defaultTimeoutMs(), limits.maxRuns(),
                    limits.maxConnectionsPerRun(), limits.maxConnections(), limits.maxCheckpointsPerRun(),
                    config.toolkit().maxTopicsPerRun(), config.toolkit().maxMessagesPerTopic(), config.toolkit().maxCountersPerRun(),
                    config.toolkit().maxStatesPerRun(), config.toolkit().maxLocksPerRun());
            var registry = new RunRegistry(clock, settings);
            coordinator = coordinator(config, vertx, registry, settings);
            ClusterParts cluster = coordinator instanceof RedisCoordinator node ? ClusterParts.of(node, store, config, operations) : null;
            operations.bind(store, registry, clock, cluster == null ? RunGauges.of(registry) : cluster.gauges(),
                    coordinator instanceof RedisCoordinator node ? node::eventsConnected : () -> true);
            // cluster mode: the agents' side reads Redis's clock, the one every node agrees on (SPEC §11)
            var agentClock = coordinator instanceof RedisCoordinator node ? node.clock(clock) : clock;
            var auth = new Auth(config.credentials());
            // the management API shows the whole cluster from any node (SPEC §11)
            Fleet fleet = cluster != null ? cluster.fleet()
                    : Admin.localFleet(vertx, registry, (DataChanges) store, config.cluster().nodeId());
            var admin = Admin.create(vertx, fleet, (DataChanges) store, auth, config.admin(), tuning.requestTimeoutMs());
            var wiring = new Wiring(config, tuning, store, coordinator, agentClock, auth,
                    new Cors(config.corsAllowedOrigins()), new TestsApi(store, limits.maxDataBytes()),
                    operations.metrics(), operations.api(), admin);
            // One listener per event loop, all asking for the configured ports: Vert.x shares a server
            // socket between listeners that ask for the same host and port (0 included) and spreads
            // connections over them.
            java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
            await(vertx.deployVerticle(() -> {
                Listener l = new Listener(wiring, config.httpPort(), config.wsPort());
                listeners.add(l);
                return l;
            }, new DeploymentOptions().setInstances(loops)), config);
            int http = listeners.get(0).actualPort(0);
            int ws = config.singleListener() ? http : listeners.get(0).actualPort(1);
            operations.startRetention(vertx);
            if (cluster != null) cluster.retention().start();
            return new TestSyncServer(vertx, store, registry, http, ws, operations, coordinator, cluster);
        } catch (ConfigException | RuntimeException e) {
            operations.stopRetention();
            if (coordinator instanceof RedisCoordinator node) node.close();
            closeQuietly(vertx, store);
            operations.close();
            throw e;
        }
    }

    /** One node's own runs, or (cluster.redis_url set) this node's part in a cluster on Redis (SPEC §11). */
    private static Coordinator coordinator(Config config, Vertx vertx, RunRegistry registry, RunRegistry.Settings settings) throws ConfigException {
        if (!config.cluster().enabled()) return new LocalCoordinator(registry);
        return RedisCoordinator.join(vertx, config.cluster(), settings);
    }

    private static int loops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static Vertx newVertx() {
        // The server resolves no host names but its bind address: the JDK resolver does, without the
        // cost of starting Netty's DNS client (about 0.2 s of startup).
        System.setProperty("vertx.disableDnsResolver", "true");
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops())
                // no static files are served: no cache directory in the user's working directory
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    }

    /** Group commit's effect, for operators and the benchmark: writes ÷ commits is the mean batch. */
    private static void countCommits(SqliteStore sqlite, Operations operations) {
        operations.metrics().counter("testsync.store.sqlite.commits", "SQLite transactions committed (each one fsync)", sqlite::commits);
        operations.metrics().counter("testsync.store.sqlite.writes", "Changes those transactions committed", sqlite::writes);
    }

    private static DataStore openStore(Config.Storage storage, Vertx vertx) throws ConfigException {
        if (Config.Storage.SQLITE.equals(storage.type())) {
            try {
                return SqliteStore.open(storage.sqlitePath(), storage.moveAsideIfCorrupt());
            } catch (StoreOpenException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        if (Config.Storage.REDIS.equals(storage.type())) {
            return RedisStore.open(vertx, storage.redisUrl(), System::currentTimeMillis);
        }
        return new MemoryStore();
    }

    private static void await(Future<?> deployment, Config config) throws ConfigException {
        try {
            deployment.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("listeners did not start within 30 s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw bindProblem(e.getCause(), config);
        }
    }

    private static ConfigException bindProblem(Throwable cause, Config config) {
        String ports = config.singleListener()
                ? "http_port/ws_port " + config.httpPort()
                : "http_port " + config.httpPort() + " or ws_port " + config.wsPort();
        log.debug("listen failed", cause);
        String what = cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
                ? "address already in use"
                : String.valueOf(cause.getMessage());
        return new ConfigException("cannot listen on " + config.bindAddress() + " " + ports + ": " + what
                + "; stop the process using it, or set other ports (http_port, ws_port) or bind_address");
    }

    /** The bound HTTP port (the real one when the configuration asked for 0). */
    public int httpPort() {
        return httpPort;
    }

    /** The bound WebSocket port. */
    public int wsPort() {
        return wsPort;
    }

    /** How runs are coordinated: in this process, or with the other nodes of a cluster. */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** The runs and their agents; for operations endpoints and tests. */
    public RunRegistry registry() {
        return registry;
    }

    /** Stops accepting, closes every WebSocket with 1012, finishes in-flight requests, flushes and closes storage. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) return;
        log.info("stopping: closing agent connections (1012), finishing requests, flushing storage");
        operations.stopRetention();
        if (cluster != null) cluster.retention().stop();
        try {
            Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("listeners did not stop cleanly: {}", e.toString());
        }
        if (coordinator instanceof RedisCoordinator node) node.close();
        closeQuietly(vertx, store);
        operations.close();
        log.info("stopped");
    }

    private static void closeQuietly(Vertx vertx, DataStore store) {
        try {
            store.close();
        } catch (RuntimeException e) {
            log.error("closing storage failed: {}", e.toString(), e);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops did not stop cleanly: {}", e.toString());
        }
    }
}
