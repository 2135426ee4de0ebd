package io.testsync.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The server's configuration, validated once and sealed before start (SPEC §1). Built by
 * {@link ConfigLoader} from the file and {@code TESTSYNC_*} variables; tests build it directly
 * (port 0 is allowed here, so tests get free ports, but not from a file).
 *
 * @param httpPort       HTTP API port (0 = any free port; tests only)
 * @param wsPort         WebSocket port; equal to httpPort means one listener serves both
 * @param bindAddress    interface to listen on
 * @param logLevel       DEBUG, INFO, WARN or ERROR (upper case)
 * @param logDir         when not null, logs also go to {@code <logDir>/test-sync.log}
 * @param credentials    the Basic auth credentials agents use; null = protected mode (loopback only)
 * @param storage        which backend keeps the data
 * @param checkpoint     barrier timing
 * @param corsAllowedOrigins origins browser agents may call the HTTP API from ("*" = any)
 * @param limits         bounds on what clients may make the server hold
 * @param retention      when idle runs are removed
 * @param toolkit        bounds on the toolkit's state per run (SPEC §9.3)
 * @param cluster        cluster mode (SPEC §11); off unless {@code cluster.redis_url} is set
 */
public record Config(
        int httpPort,
        int wsPort,
        String bindAddress,
        String logLevel,
        Path logDir,
        Credentials credentials,
        Storage storage,
        Checkpoint checkpoint,
        List<String> corsAllowedOrigins,
        Limits limits,
        Retention retention,
        Toolkit toolkit,
        Cluster cluster) {

    public static final int DEFAULT_HTTP_PORT = 9104;
    public static final int DEFAULT_WS_PORT = 9105;

    /** The built-in defaults of SPEC §1. */
    public static Config defaults() {
        return new Config(DEFAULT_HTTP_PORT, DEFAULT_WS_PORT, "0.0.0.0", "INFO", null, null,
                new Storage(Storage.MEMORY, Path.of("./testsync.db"), false),
                new Checkpoint(500, 600_000),
                List.of("*"),
                Limits.defaults(),
                Retention.defaults(),
                Toolkit.defaults(),
                Cluster.defaults());
    }

    /** The configuration without cluster mode (as before §11). */
    public Config(int httpPort, int wsPort, String bindAddress, String logLevel, Path logDir, Credentials credentials,
                  Storage storage, Checkpoint checkpoint, List<String> corsAllowedOrigins, Limits limits,
                  Retention retention, Toolkit toolkit) {
        this(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, checkpoint, corsAllowedOrigins,
                limits, retention, toolkit, Cluster.defaults());
    }

    /** True when HTTP and WebSocket share one listener. */
    public boolean singleListener() {
        return httpPort == wsPort;
    }

    public Config withPorts(int http, int ws) {
        return new Config(http, ws, bindAddress, logLevel, logDir, credentials, storage, checkpoint,
                corsAllowedOrigins, limits, retention, toolkit, cluster);
    }

    public Config withCredentials(Credentials c) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, c, storage, checkpoint,
                corsAllowedOrigins, limits, retention, toolkit, cluster);
    }

    public Config withStorage(Storage s) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, s, checkpoint,
                corsAllowedOrigins, limits, retention, toolkit, cluster);
    }

    public Config withCheckpoint(Checkpoint c) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, c,
                corsAllowedOrigins, limits, retention, toolkit, cluster);
    }

    public Config withLimits(Limits l) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, checkpoint,
                corsAllowedOrigins, l, retention, toolkit, cluster);
    }

    public Config withRetention(Retention r) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, checkpoint,
                corsAllowedOrigins, limits, r, toolkit, cluster);
    }

    public Config withToolkit(Toolkit t) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, checkpoint,
                corsAllowedOrigins, limits, retention, t, cluster);
    }

    public Config withCluster(Cluster c) {
        return new Config(httpPort, wsPort, bindAddress, logLevel, logDir, credentials, storage, checkpoint,
                corsAllowedOrigins, limits, retention, toolkit, c);
    }

    /** Basic auth credentials; both parts are set when credentials are configured at all. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=<redacted>]";
        }
    }

    /**
     * Storage backend: {@link #MEMORY}, {@link #SQLITE} (then {@code sqlitePath} is the database file) or
     * {@link #REDIS} (then {@code redisUrl} is the server, never null). {@code moveAsideIfCorrupt} (the
     * {@code --move-corrupt-db-aside} flag) renames a database file that is corrupt or not SQLite instead
     * of refusing to start.
     */
    public record Storage(String type, Path sqlitePath, boolean moveAsideIfCorrupt, RedisUrl redisUrl) {
        public static final String MEMORY = "memory";
        public static final String SQLITE = "sqlite";
        public static final String REDIS = "redis";

        public Storage {
            if (REDIS.equals(type) && redisUrl == null) {
                throw new IllegalArgumentException("storage type redis needs a redisUrl");
            }
        }

        /** A memory or SQLite backend (no Redis URL). */
        public Storage(String type, Path sqlitePath, boolean moveAsideIfCorrupt) {
            this(type, sqlitePath, moveAsideIfCorrupt, null);
        }

        /** Redis storage at {@code url}. */
        public static Storage redis(RedisUrl url) {
            return new Storage(REDIS, Path.of("./testsync.db"), false, url);
        }

        public Storage withMoveAsideIfCorrupt(boolean moveAside) {
            return new Storage(type, sqlitePath, moveAside, redisUrl);
        }
    }

    /**
     * Cluster mode (SPEC §11): on when {@code redisUrl} is set, which requires {@link Storage#REDIS}.
     *
     * @param redisUrl    the Redis the nodes coordinate through; null = one node, no cluster
     * @param nodeId      this node's name, unique among the nodes
     * @param nodeLeaseMs how long a node's lease lasts without renewal before the others clean up after it
     */
    public record Cluster(RedisUrl redisUrl, String nodeId, long nodeLeaseMs) {
        public static final long DEFAULT_NODE_LEASE_MS = 5_000;

        public Cluster {
            java.util.Objects.requireNonNull(nodeId, "nodeId");
            if (nodeLeaseMs < 1) throw new IllegalArgumentException("nodeLeaseMs must be at least 1, was " + nodeLeaseMs);
        }

        /** No cluster; this process's default node id in case one is asked for. */
        public static Cluster defaults() {
            return new Cluster(null, NodeIds.processDefault(), DEFAULT_NODE_LEASE_MS);
        }

        public boolean enabled() {
            return redisUrl != null;
        }
    }

    /** Barrier timing: how far ahead a release tells agents to start, and the default wait bound (0 = forever). */
    public record Checkpoint(long releaseLeadMs, long defaultTimeoutMs) {}

    /** Bounds on what clients can make the server hold (SPEC §7); every value is at least 1. */
    public record Limits(int maxDataBytes, int maxRuns, int maxConnectionsPerRun, int maxConnections,
                         int maxCheckpointsPerRun, int maxQueuedBytesPerConnection) {
        public static Limits defaults() {
            return new Limits(10 * 1024 * 1024, 10_000, 10_000, 50_000, 10_000, 16 * 1024 * 1024);
        }
    }

    /** A run with no live connection and no activity for {@code maxIdle} is removed with its data. */
    public record Retention(Duration maxIdle, Duration sweepInterval) {
        public static Retention defaults() {
            return new Retention(Duration.ofHours(12), Duration.ofHours(1));
        }
    }

    /** Bounds on the toolkit's state in one run (SPEC §9.3); every value is at least 1. */
    public record Toolkit(int maxTopicsPerRun, int maxMessagesPerTopic, int maxPayloadBytes, int maxCountersPerRun,
                          int maxStatesPerRun, int maxLocksPerRun) {
        public static Toolkit defaults() {
            return new Toolkit(1000, 10_000, 1024 * 1024, 10_000, 10_000, 10_000);
        }
    }
}
