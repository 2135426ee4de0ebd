package io.testsync.server.config;

import static io.testsync.server.config.ConfigKey.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Config} from the configuration file and {@code TESTSYNC_*} environment variables
 * (SPEC §1): finds the file, reads every key, lets the environment win, validates once.
 */
public final class ConfigLoader {

    /**
     * The loaded configuration.
     *
     * @param config   validated and ready to start with
     * @param source   the file that was read; null when the built-in defaults (and the environment) apply
     * @param warnings one line per thing the user should fix but the server can run with (unknown keys)
     */
    public record Loaded(Config config, Path source, List<String> warnings) {}

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param configArg  the {@code -c} value (a directory holding configuration.json, or the file), or null
     *                   for {@code ./config/configuration.json} when present, else the defaults
     * @param env        the environment; a {@code TESTSYNC_<KEY>} variable beats the file. A blank variable
     *                   counts as not set, so {@code TESTSYNC_HTTP_PORT=} in a compose file changes nothing
     * @param workingDir what relative paths ({@code -c}, logging.dir, storage.sqlite_path) are resolved against
     * @throws ConfigException with one line naming the file or variable, the key, the bad value and the fix
     */
    public static Loaded load(String configArg, Map<String, String> env, Path workingDir) throws ConfigException {
        Path dir = workingDir.toAbsolutePath().normalize();
        Path file = ConfigFile.locate(configArg, dir);
        List<String> warnings = new ArrayList<>();
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        if (file != null) {
            values.putAll(ConfigFile.read(file, warnings));
        }
        // Only known names are looked up: the e2e program shares the environment (TESTSYNC_HTTP_URL, ...),
        // so other TESTSYNC_ variables are not ours to warn about.
        for (ConfigKey key : ConfigKey.values()) {
            String text = env.get(key.envName());
            if (text != null && !text.isBlank()) {
                values.put(key, new RawValue.InEnv(key, text));
            }
        }
        Settings settings = new Settings(values);
        Config config = build(settings, dir);
        ClusterRule.check(config, settings::raw);
        return new Loaded(config, file, List.copyOf(warnings));
    }

    private static Config build(Settings s, Path dir) throws ConfigException {
        Config d = Config.defaults();
        Config.Limits dl = d.limits();
        Config.Toolkit dt = d.toolkit();
        return new Config(
                s.get(HTTP_PORT, Values::port, d.httpPort()),
                s.get(WS_PORT, Values::port, d.wsPort()),
                s.get(BIND_ADDRESS, Values::host, d.bindAddress()),
                s.get(LOGGING_LEVEL, Values::level, d.logLevel()),
                s.get(LOGGING_DIR, v -> Values.path(v, dir), d.logDir()),
                credentials(s),
                storage(s, dir, d.storage()),
                new Config.Checkpoint(
                        s.get(CHECKPOINT_RELEASE_LEAD_MS, Values::millis, d.checkpoint().releaseLeadMs()),
                        s.get(CHECKPOINT_DEFAULT_TIMEOUT_MS, Values::millis, d.checkpoint().defaultTimeoutMs())),
                s.get(CORS_ALLOWED_ORIGINS, Values::origins, d.corsAllowedOrigins()),
                new Config.Limits(
                        s.get(LIMITS_MAX_DATA_BYTES, Values::limit, dl.maxDataBytes()),
                        s.get(LIMITS_MAX_RUNS, Values::limit, dl.maxRuns()),
                        s.get(LIMITS_MAX_CONNECTIONS_PER_RUN, Values::limit, dl.maxConnectionsPerRun()),
                        s.get(LIMITS_MAX_CONNECTIONS, Values::limit, dl.maxConnections()),
                        s.get(LIMITS_MAX_CHECKPOINTS_PER_RUN, Values::limit, dl.maxCheckpointsPerRun()),
                        s.get(LIMITS_MAX_QUEUED_BYTES, Values::limit, dl.maxQueuedBytesPerConnection())),
                new Config.Retention(
                        s.get(RETENTION_MAX_IDLE, Values::duration, d.retention().maxIdle()),
                        s.get(RETENTION_SWEEP_INTERVAL, Values::duration, d.retention().sweepInterval())),
                new Config.Toolkit(
                        s.get(LIMITS_MAX_TOPICS_PER_RUN, Values::limit, dt.maxTopicsPerRun()),
                        s.get(LIMITS_MAX_MESSAGES_PER_TOPIC, Values::limit, dt.maxMessagesPerTopic()),
                        s.get(LIMITS_MAX_PAYLOAD_BYTES, Values::limit, dt.maxPayloadBytes()),
                        s.get(LIMITS_MAX_COUNTERS_PER_RUN, Values::limit, dt.maxCountersPerRun()),
                        s.get(LIMITS_MAX_STATES_PER_RUN, Values::limit, dt.maxStatesPerRun()),
                        s.get(LIMITS_MAX_LOCKS_PER_RUN, Values::limit, dt.maxLocksPerRun())),
                new Config.Cluster(
                        s.get(CLUSTER_REDIS_URL, Values::redisUrl, d.cluster().redisUrl()),
                        s.get(CLUSTER_NODE_ID, Values::nodeId, d.cluster().nodeId()),
                        s.get(CLUSTER_NODE_LEASE_MS, Values::leaseMillis, d.cluster().nodeLeaseMs())));
    }

    /** {@code storage.type: "redis"} needs its URL: without one the server would have nowhere to keep data. */
    private static Config.Storage storage(Settings s, Path dir, Config.Storage d) throws ConfigException {
        String type = s.get(STORAGE_TYPE, Values::storageType, d.type());
        Path sqlitePath = s.get(STORAGE_SQLITE_PATH, v -> Values.path(v, dir), dir.resolve(d.sqlitePath()).normalize());
        RedisUrl redisUrl = s.get(STORAGE_REDIS_URL, Values::redisUrl, null);
        if (Config.Storage.REDIS.equals(type) && redisUrl == null) {
            throw new ConfigException(s.raw(STORAGE_TYPE).where() + " is \"redis\" but " + STORAGE_REDIS_URL.path()
                    + " is not set; set " + STORAGE_REDIS_URL.path() + " (or " + STORAGE_REDIS_URL.envName()
                    + ") to e.g. " + STORAGE_REDIS_URL.jsonExample() + ", or choose another storage.type");
        }
        return new Config.Storage(type, sqlitePath, d.moveAsideIfCorrupt(), redisUrl);
    }

    /**
     * Both or neither: a username without a password would silently leave the server in protected mode
     * (or lock every agent out), so half a pair is an error. Empty strings count as unset.
     */
    private static Config.Credentials credentials(Settings s) throws ConfigException {
        String user = s.get(SYNC_CLIENT_USERNAME, Values::string, "");
        String password = s.get(SYNC_CLIENT_PASSWORD, Values::string, "");
        if (user.isEmpty() && password.isEmpty()) {
            return null;
        }
        if (user.isEmpty() || password.isEmpty()) {
            ConfigKey set = user.isEmpty() ? SYNC_CLIENT_PASSWORD : SYNC_CLIENT_USERNAME;
            ConfigKey missing = user.isEmpty() ? SYNC_CLIENT_USERNAME : SYNC_CLIENT_PASSWORD;
            throw new ConfigException(s.raw(set).where() + " is set but " + missing.path() + " is not; set "
                    + missing.path() + " (or " + missing.envName() + ") too, or neither to run without"
                    + " authentication (loopback clients only)");
        }
        return new Config.Credentials(user, password);
    }

    /** Reads one key's value with a parser, or the default when neither the file nor the environment sets it. */
    private record Settings(Map<ConfigKey, RawValue> values) {
        interface Parser<T> {
            T parse(RawValue v) throws ConfigException;
        }

        <T> T get(ConfigKey key, Parser<T> parser, T fallback) throws ConfigException {
            RawValue v = values.get(key);
            return v == null ? fallback : parser.parse(v);
        }

        RawValue raw(ConfigKey key) {
            return values.get(key);
        }
    }
}
