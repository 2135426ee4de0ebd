package io.testsync.server.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The table of configuration keys (SPEC §1): dotted path in the file, kind of value, the example
 * shown in error messages, and the {@code TESTSYNC_*} variable that overrides it.
 */
enum ConfigKey {
    HTTP_PORT("http_port", Kind.PORT, "9104"),
    WS_PORT("ws_port", Kind.PORT, "9105"),
    BIND_ADDRESS("bind_address", Kind.HOST, "0.0.0.0"),
    LOGGING_LEVEL("logging.level", Kind.LEVEL, "INFO"),
    LOGGING_DIR("logging.dir", Kind.PATH, "./logs"),
    SYNC_CLIENT_USERNAME("sync_client.username", Kind.TEXT, "exampleUserName"),
    SYNC_CLIENT_PASSWORD("sync_client.password", Kind.SECRET, "examplePassWord"),
    STORAGE_TYPE("storage.type", Kind.STORAGE_TYPE, "sqlite"),
    STORAGE_SQLITE_PATH("storage.sqlite_path", Kind.PATH, "./testsync.db"),
    STORAGE_REDIS_URL("storage.redis_url", Kind.REDIS_URL, "redis://localhost:6379"),
    CHECKPOINT_RELEASE_LEAD_MS("checkpoint.release_lead_ms", Kind.MILLIS, "500"),
    CHECKPOINT_DEFAULT_TIMEOUT_MS("checkpoint.default_timeout_ms", Kind.MILLIS, "600000"),
    CORS_ALLOWED_ORIGINS("cors.allowed_origins", Kind.ORIGINS, "https://ci.example.com"),
    LIMITS_MAX_DATA_BYTES("limits.max_data_bytes", Kind.LIMIT, "10485760"),
    LIMITS_MAX_RUNS("limits.max_runs", Kind.LIMIT, "10000"),
    LIMITS_MAX_CONNECTIONS_PER_RUN("limits.max_connections_per_run", Kind.LIMIT, "10000"),
    LIMITS_MAX_CONNECTIONS("limits.max_connections", Kind.LIMIT, "50000"),
    LIMITS_MAX_CHECKPOINTS_PER_RUN("limits.max_checkpoints_per_run", Kind.LIMIT, "10000"),
    LIMITS_MAX_QUEUED_BYTES("limits.max_queued_bytes", Kind.LIMIT, "16777216"),
    LIMITS_MAX_TOPICS_PER_RUN("limits.max_topics_per_run", Kind.LIMIT, "1000"),
    LIMITS_MAX_MESSAGES_PER_TOPIC("limits.max_messages_per_topic", Kind.LIMIT, "10000"),
    LIMITS_MAX_PAYLOAD_BYTES("limits.max_payload_bytes", Kind.LIMIT, "1048576"),
    LIMITS_MAX_COUNTERS_PER_RUN("limits.max_counters_per_run", Kind.LIMIT, "10000"),
    LIMITS_MAX_STATES_PER_RUN("limits.max_states_per_run", Kind.LIMIT, "10000"),
    LIMITS_MAX_LOCKS_PER_RUN("limits.max_locks_per_run", Kind.LIMIT, "10000"),
    RETENTION_MAX_IDLE("retention.max_idle", Kind.DURATION, "12h"),
    RETENTION_SWEEP_INTERVAL("retention.sweep_interval", Kind.DURATION, "1h"),
    CLUSTER_REDIS_URL("cluster.redis_url", Kind.REDIS_URL, "redis://localhost:6379"),
    CLUSTER_NODE_ID("cluster.node_id", Kind.NODE_ID, "node-1"),
    CLUSTER_NODE_LEASE_MS("cluster.node_lease_ms", Kind.LEASE, "5000");

    /** What a key's value is; decides how file and environment text are read and checked. */
    public enum Kind { PORT, HOST, LEVEL, PATH, TEXT, SECRET, STORAGE_TYPE, MILLIS, ORIGINS, LIMIT, DURATION, REDIS_URL, NODE_ID, LEASE }

    private static final Map<String, ConfigKey> BY_PATH =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(ConfigKey::path, Function.identity()));

    /** Top-level names whose value is an object of keys ("logging" holds "logging.level", ...). */
    private static final List<String> SECTIONS = Stream.of(values()).map(ConfigKey::section)
            .flatMap(Optional::stream).distinct().toList();

    private final String path;
    private final Kind kind;
    private final String example;

    ConfigKey(String path, Kind kind, String example) {
        this.path = path;
        this.kind = kind;
        this.example = example;
    }

    /** The dotted path as written in the file, e.g. {@code sync_client.password}. */
    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** The variable that overrides this key: {@code TESTSYNC_} + path with dots as underscores, upper case. */
    public String envName() {
        return "TESTSYNC_" + path.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** An example value as it is written in the file (JSON). */
    public String jsonExample() {
        return switch (kind) {
            case PORT, MILLIS, LIMIT, LEASE -> example;
            case ORIGINS -> "[\"" + example + "\"]";
            default -> "\"" + example + "\"";
        };
    }

    /** An example value as it is written in the environment variable. */
    public String envExample() {
        return example;
    }

    /** The key's object in the file ("logging" for "logging.level"), empty for a top-level key. */
    public Optional<String> section() {
        int dot = path.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(path.substring(0, dot));
    }

    /** The first key inside a section, for examples of what the section looks like. */
    static ConfigKey firstIn(String section) {
        return Stream.of(values()).filter(k -> k.section().filter(section::equals).isPresent())
                .findFirst().orElseThrow();
    }

    /** The key with this dotted path, or null. */
    public static ConfigKey byPath(String dottedPath) {
        return BY_PATH.get(dottedPath);
    }

    /** True when {@code name} is a top-level object of keys, such as "logging" or "limits". */
    public static boolean isSection(String name) {
        return SECTIONS.contains(name);
    }

    /**
     * The known key an unknown one was probably meant to be: "http_prot" gives "http_port",
     * "httpPort" gives "http_port", a top-level "level" gives "logging.level". Empty when nothing is close,
     * because a wrong suggestion sends the user hunting.
     */
    public static Optional<String> suggest(String unknownPath) {
        String wanted = normalize(unknownPath);
        boolean topLevel = unknownPath.indexOf('.') < 0;
        record Candidate(String path, int distance) {}
        List<Candidate> candidates = new ArrayList<>();
        for (ConfigKey key : values()) {
            candidates.add(new Candidate(key.path, distance(wanted, normalize(key.path))));
            if (topLevel && key.section().isPresent()) {
                // A key written at the top level instead of inside its object, e.g. "level".
                String leaf = key.path.substring(key.path.indexOf('.') + 1);
                candidates.add(new Candidate(key.path, distance(wanted, normalize(leaf))));
            }
        }
        SECTIONS.forEach(s -> candidates.add(new Candidate(s, distance(wanted, normalize(s)))));
        int allowed = wanted.length() <= 4 ? 1 : wanted.length() <= 12 ? 2 : 3;
        return candidates.stream().filter(c -> c.distance <= allowed)
                .min(Comparator.comparingInt(Candidate::distance)).map(Candidate::path);
    }

    /** Case, underscores and dots do not matter when guessing what was meant ("httpPort", "HTTP-PORT"). */
    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Edit distance where swapping two neighbouring letters counts as one typo (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
