package io.testsync.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the configuration comes from and that every key is read from the file and the environment. */
class ConfigLoaderTest {

    /** The example configuration of the original README, byte for byte. */
    static final String SEED_EXAMPLE = """
            {
              "http_port": 9104,
              "ws_port": 9105,
              "logging": {
                "level": "DEBUG"
              },
              "sync_client": {
                "username": "exampleUserName",
                "password": "examplePassWord"
              },
              "storage": {
                "type": "sqlite",
                "sqlite_path": "./testsync.db"
              }
            }
            """;

    static final String EVERY_KEY = """
            {
              "http_port": 8001,
              "ws_port": 8002,
              "bind_address": "127.0.0.1",
              "logging": {"level": "warn", "dir": "logs"},
              "sync_client": {"username": "agent", "password": "s3cret"},
              "storage": {"type": "sqlite", "sqlite_path": "data/runs.db"},
              "checkpoint": {"release_lead_ms": 250, "default_timeout_ms": 0},
              "cors": {"allowed_origins": ["https://ci.example.com", "http://localhost:3000"]},
              "limits": {"max_data_bytes": 1024, "max_runs": 2, "max_connections_per_run": 3,
                         "max_connections": 4, "max_checkpoints_per_run": 5, "max_queued_bytes": 6,
                         "max_topics_per_run": 7, "max_messages_per_topic": 8, "max_payload_bytes": 9,
                         "max_counters_per_run": 10, "max_states_per_run": 11, "max_locks_per_run": 12},
              "retention": {"max_idle": "30m", "sweep_interval": "90s"}
            }
            """;

    static final Map<String, String> EVERY_KEY_ENV = Map.ofEntries(
            Map.entry("TESTSYNC_HTTP_PORT", "8001"),
            Map.entry("TESTSYNC_WS_PORT", " 8002 "),
            Map.entry("TESTSYNC_BIND_ADDRESS", "127.0.0.1"),
            Map.entry("TESTSYNC_LOGGING_LEVEL", "warn"),
            Map.entry("TESTSYNC_LOGGING_DIR", "logs"),
            Map.entry("TESTSYNC_SYNC_CLIENT_USERNAME", "agent"),
            Map.entry("TESTSYNC_SYNC_CLIENT_PASSWORD", "s3cret"),
            Map.entry("TESTSYNC_STORAGE_TYPE", "sqlite"),
            Map.entry("TESTSYNC_STORAGE_SQLITE_PATH", "data/runs.db"),
            Map.entry("TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS", "250"),
            Map.entry("TESTSYNC_CHECKPOINT_DEFAULT_TIMEOUT_MS", "0"),
            Map.entry("TESTSYNC_CORS_ALLOWED_ORIGINS", "https://ci.example.com, http://localhost:3000"),
            Map.entry("TESTSYNC_LIMITS_MAX_DATA_BYTES", "1024"),
            Map.entry("TESTSYNC_LIMITS_MAX_RUNS", "2"),
            Map.entry("TESTSYNC_LIMITS_MAX_CONNECTIONS_PER_RUN", "3"),
            Map.entry("TESTSYNC_LIMITS_MAX_CONNECTIONS", "4"),
            Map.entry("TESTSYNC_LIMITS_MAX_CHECKPOINTS_PER_RUN", "5"),
            Map.entry("TESTSYNC_LIMITS_MAX_QUEUED_BYTES", "6"),
            Map.entry("TESTSYNC_LIMITS_MAX_TOPICS_PER_RUN", "7"),
            Map.entry("TESTSYNC_LIMITS_MAX_MESSAGES_PER_TOPIC", "8"),
            Map.entry("TESTSYNC_LIMITS_MAX_PAYLOAD_BYTES", "9"),
            Map.entry("TESTSYNC_LIMITS_MAX_COUNTERS_PER_RUN", "10"),
            Map.entry("TESTSYNC_LIMITS_MAX_STATES_PER_RUN", "11"),
            Map.entry("TESTSYNC_LIMITS_MAX_LOCKS_PER_RUN", "12"),
            Map.entry("TESTSYNC_RETENTION_MAX_IDLE", "30m"),
            Map.entry("TESTSYNC_RETENTION_SWEEP_INTERVAL", "90s"));

    @TempDir
    Path dir;

    private Config everyKeyExpected() {
        return new Config(8001, 8002, "127.0.0.1", "WARN", dir.resolve("logs"),
                new Config.Credentials("agent", "s3cret"),
                new Config.Storage("sqlite", dir.resolve("data/runs.db"), false),
                new Config.Checkpoint(250, 0),
                List.of("https://ci.example.com", "http://localhost:3000"),
                new Config.Limits(1024, 2, 3, 4, 5, 6),
                new Config.Retention(Duration.ofMinutes(30), Duration.ofSeconds(90)),
                new Config.Toolkit(7, 8, 9, 10, 11, 12),
                Config.Cluster.defaults());
    }

    private Path write(String relative, String json) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    @Test
    void noFileAndNoFlagMeansBuiltInDefaultsWithPathsUnderTheWorkingDir() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(), dir);

        Config defaults = Config.defaults();
        assertThat(loaded.source()).isNull();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config()).isEqualTo(defaults.withStorage(
                new Config.Storage("memory", dir.resolve("testsync.db"), false)));
        assertThat(loaded.config().credentials()).isNull();
    }

    @Test
    void withoutFlagReadsConfigConfigurationJsonInTheWorkingDir() throws Exception {
        Path file = write("config/configuration.json", "{\"http_port\": 7000}");

        ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(), dir);

        assertThat(loaded.source()).isEqualTo(file);
        assertThat(loaded.config().httpPort()).isEqualTo(7000);
    }

    @Test
    void flagWithDirectoryReadsItsConfigurationJson() throws Exception {
        Path file = write("conf/configuration.json", "{\"http_port\": 7001}");
        write("config/configuration.json", "{\"http_port\": 7000}");

        ConfigLoader.Loaded loaded = ConfigLoader.load("conf", Map.of(), dir);

        assertThat(loaded.source()).isEqualTo(file);
        assertThat(loaded.config().httpPort()).isEqualTo(7001);
    }

    @Test
    void flagWithFileReadsThatFileWhateverItsName() throws Exception {
        Path file = write("elsewhere/prod.json", "{\"http_port\": 7002}");

        ConfigLoader.Loaded loaded = ConfigLoader.load(file.toString(), Map.of(), dir.resolve("config"));

        assertThat(loaded.source()).isEqualTo(file);
        assertThat(loaded.config().httpPort()).isEqualTo(7002);
    }

    @Test
    void seedReadmeExampleLoads() throws Exception {
        write("config/configuration.json", SEED_EXAMPLE);

        Config config = ConfigLoader.load("./config", Map.of(), dir).config();

        assertThat(config.httpPort()).isEqualTo(9104);
        assertThat(config.wsPort()).isEqualTo(9105);
        assertThat(config.logLevel()).isEqualTo("DEBUG");
        assertThat(config.credentials()).isEqualTo(new Config.Credentials("exampleUserName", "examplePassWord"));
        assertThat(config.storage()).isEqualTo(new Config.Storage("sqlite", dir.resolve("testsync.db"), false));
        assertThat(config.checkpoint()).isEqualTo(Config.defaults().checkpoint());
    }

    @Test
    void repositoryExampleIsTheSeedExample() throws Exception {
        // Surefire runs in the server module; the shipped example sits next to it at the repository root.
        Path shipped = Path.of("").toAbsolutePath().resolveSibling("config").resolve("configuration.json");

        assertThat(Files.readString(shipped)).isEqualTo(SEED_EXAMPLE);
        assertThat(ConfigLoader.load(shipped.getParent().toString(), Map.of(), dir).warnings()).isEmpty();
    }

    @Test
    void everyKeyIsReadFromTheFile() throws Exception {
        write("config/configuration.json", EVERY_KEY);

        ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(), dir);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config()).isEqualTo(everyKeyExpected());
    }

    @Test
    void everyKeyIsReadFromTheEnvironment() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, EVERY_KEY_ENV, dir);

        assertThat(loaded.source()).isNull();
        assertThat(loaded.config()).isEqualTo(everyKeyExpected());
    }

    @Test
    void environmentBeatsTheFileKeyByKey() throws Exception {
        write("config/configuration.json", SEED_EXAMPLE);

        Config config = ConfigLoader.load(null, Map.of(
                "TESTSYNC_HTTP_PORT", "9200",
                "TESTSYNC_SYNC_CLIENT_PASSWORD", "fromEnv",
                "TESTSYNC_STORAGE_TYPE", "memory",
                "TESTSYNC_LIMITS_MAX_RUNS", "7"), dir).config();

        assertThat(config.httpPort()).isEqualTo(9200);
        assertThat(config.wsPort()).isEqualTo(9105);
        assertThat(config.credentials()).isEqualTo(new Config.Credentials("exampleUserName", "fromEnv"));
        assertThat(config.storage().type()).isEqualTo("memory");
        assertThat(config.limits().maxRuns()).isEqualTo(7);
        assertThat(config.logLevel()).isEqualTo("DEBUG");
    }

    @Test
    void blankVariablesAndOtherTestsyncVariablesChangeNothing() throws Exception {
        write("config/configuration.json", "{\"http_port\": 7000}");

        ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(
                "TESTSYNC_HTTP_PORT", "",
                "TESTSYNC_WS_PORT", "  ",
                "TESTSYNC_HTTP_URL", "http://localhost:9104",
                "TESTSYNC_USER", "exampleUserName"), dir);

        assertThat(loaded.config().httpPort()).isEqualTo(7000);
        assertThat(loaded.config().wsPort()).isEqualTo(9105);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void jsonNullMeansTheDefault() throws Exception {
        write("config/configuration.json", """
                {"http_port": null, "logging": {"level": null}, "storage": null, "cors": {"allowed_origins": null}}
                """);

        Config config = ConfigLoader.load(null, Map.of(), dir).config();

        assertThat(config.httpPort()).isEqualTo(9104);
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.storage().type()).isEqualTo("memory");
        assertThat(config.corsAllowedOrigins()).containsExactly("*");
    }

    @Test
    void emptyCredentialsMeanNoCredentials() throws Exception {
        write("config/configuration.json", "{\"sync_client\": {\"username\": \"\", \"password\": \"\"}}");

        assertThat(ConfigLoader.load(null, Map.of(), dir).config().credentials()).isNull();
    }

    @Test
    void credentialsFromTheEnvironmentAreTakenAsWritten() throws Exception {
        Config config = ConfigLoader.load(null, Map.of(
                "TESTSYNC_SYNC_CLIENT_USERNAME", "agent",
                "TESTSYNC_SYNC_CLIENT_PASSWORD", " pass word "), dir).config();

        assertThat(config.credentials()).isEqualTo(new Config.Credentials("agent", " pass word "));
    }

    @Test
    void levelAndStorageTypeAreCaseInsensitive() throws Exception {
        write("config/configuration.json", "{\"logging\": {\"level\": \"Debug\"}, \"storage\": {\"type\": \"SQLite\"}}");

        Config config = ConfigLoader.load(null, Map.of(), dir).config();

        assertThat(config.logLevel()).isEqualTo("DEBUG");
        assertThat(config.storage().type()).isEqualTo("sqlite");
    }

    @Test
    void equalPortsMeanOneListener() throws Exception {
        Config config = ConfigLoader.load(null, Map.of("TESTSYNC_HTTP_PORT", "9104", "TESTSYNC_WS_PORT", "9104"), dir)
                .config();

        assertThat(config.singleListener()).isTrue();
    }

    @Test
    void durationsTakeEveryUnit() throws Exception {
        assertThat(sweep("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(sweep("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(sweep("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(sweep("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(sweep("2d")).isEqualTo(Duration.ofDays(2));
    }

    private Duration sweep(String text) throws ConfigException {
        return ConfigLoader.load(null, Map.of("TESTSYNC_RETENTION_SWEEP_INTERVAL", text), dir)
                .config().retention().sweepInterval();
    }

    @Test
    void originsFromTheEnvironmentAreACommaSeparatedList() throws Exception {
        Config config = ConfigLoader.load(null, Map.of("TESTSYNC_CORS_ALLOWED_ORIGINS", "*"), dir).config();

        assertThat(config.corsAllowedOrigins()).containsExactly("*");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigKey.HTTP_PORT.envName()).isEqualTo("TESTSYNC_HTTP_PORT");
        assertThat(ConfigKey.SYNC_CLIENT_PASSWORD.envName()).isEqualTo("TESTSYNC_SYNC_CLIENT_PASSWORD");
        assertThat(ConfigKey.LIMITS_MAX_RUNS.envName()).isEqualTo("TESTSYNC_LIMITS_MAX_RUNS");
        assertThat(ConfigKey.CORS_ALLOWED_ORIGINS.envName()).isEqualTo("TESTSYNC_CORS_ALLOWED_ORIGINS");
    }
}
