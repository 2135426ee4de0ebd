package io.testsync.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Redis keys of SPEC §11 (storage.redis_url, cluster.*): read from file and environment, checked, and the cluster startup rule. */
class ClusterConfigTest {

    @TempDir
    Path dir;

    private Config load(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("configuration.json"), json);
        return ConfigLoader.load(file.toString(), Map.of(), dir).config();
    }

    private String fileError(String json) throws IOException {
        Path file = Files.writeString(dir.resolve("configuration.json"), json);
        return message(() -> ConfigLoader.load(file.toString(), Map.of(), dir)).replace(file.toString(), "{file}");
    }

    private String envError(Map<String, String> env) {
        return message(() -> ConfigLoader.load(null, env, dir));
    }

    private interface Load {
        void run() throws ConfigException;
    }

    private static String message(Load load) {
        ConfigException e = catchThrowableOfType(ConfigException.class, load::run);
        assertThat(e).as("a ConfigException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        assertThat(e.getStackTrace()).as("no stack trace to print").isEmpty();
        return e.getMessage();
    }

    @Test
    void redisStorageAndClusterKeysAreReadFromTheFile() throws Exception {
        Config config = load("""
                {"storage": {"type": "Redis", "redis_url": "redis://app:p%40ss@redis.internal:6380/2"},
                 "cluster": {"redis_url": "redis://[::1]:7000", "node_id": "node-a.1", "node_lease_ms": 3000}}
                """);

        assertThat(config.storage().type()).isEqualTo(Config.Storage.REDIS);
        assertThat(config.storage().redisUrl()).isEqualTo(new RedisUrl("redis.internal", 6380, "app", "p@ss", 2));
        assertThat(config.cluster()).isEqualTo(new Config.Cluster(new RedisUrl("::1", 7000, null, null, 0), "node-a.1", 3000));
        assertThat(config.cluster().enabled()).isTrue();
    }

    @Test
    void redisStorageAndClusterKeysAreReadFromTheEnvironment() throws Exception {
        Config config = ConfigLoader.load(null, Map.of(
                "TESTSYNC_STORAGE_TYPE", "redis",
                "TESTSYNC_STORAGE_REDIS_URL", " redis://:only-password@127.0.0.1:6379 ",
                "TESTSYNC_CLUSTER_REDIS_URL", "redis://127.0.0.1",
                "TESTSYNC_CLUSTER_NODE_ID", "n2",
                "TESTSYNC_CLUSTER_NODE_LEASE_MS", "100"), dir).config();

        assertThat(config.storage().redisUrl()).isEqualTo(new RedisUrl("127.0.0.1", 6379, null, "only-password", 0));
        assertThat(config.cluster()).isEqualTo(new Config.Cluster(RedisUrl.of("127.0.0.1", 6379), "n2", 100));
    }

    @Test
    void withoutClusterKeysThereIsNoClusterAndADefaultNodeIdThatIsUniqueAndValid() throws Exception {
        Config config = load("{}");

        assertThat(config.cluster().enabled()).isFalse();
        assertThat(config.cluster().nodeLeaseMs()).isEqualTo(5000);
        assertThat(config.cluster().nodeId()).isEqualTo(Config.defaults().cluster().nodeId())
                .matches(".+-" + ProcessHandle.current().pid() + "-[0-9a-f]{8}");
        assertThat(NodeIds.isValid(config.cluster().nodeId())).isTrue();
        assertThat(NodeIds.generate()).as("another process (or call) gets another name").isNotEqualTo(NodeIds.generate());
        assertThat(config.storage().redisUrl()).isNull();
    }

    @Test
    void aRedisUrlNeverShowsItsPasswordInToString() {
        RedisUrl url = RedisUrl.parse("redis://app:hunter2@h:1/0");
        assertThat(url.toString()).isEqualTo("redis://app:***@h:1/0").doesNotContain("hunter2");
        assertThat(url.address()).isEqualTo("redis://h:1/0");
        assertThat(new Config.Storage(Config.Storage.REDIS, dir, false, url).toString()).doesNotContain("hunter2");
    }

    @Test
    void redisStorageWithoutItsUrlIsAnError() {
        assertThat(envError(Map.of("TESTSYNC_STORAGE_TYPE", "redis"))).isEqualTo(
                "environment variable TESTSYNC_STORAGE_TYPE (storage.type) is \"redis\" but storage.redis_url is not set;"
                        + " set storage.redis_url (or TESTSYNC_STORAGE_REDIS_URL) to e.g. \"redis://localhost:6379\","
                        + " or choose another storage.type");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"storage": {"redis_url": "localhost:6379"}}         | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (it must start with redis:// (or redis-cluster:// for a Redis Cluster)), got "localhost:6379"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": "redis://h:99999"}}        | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (the port must be a number from 1 to 65535), got "redis://h:99999"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": "redis://h:6379/x"}}       | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (the database after '/' must be a whole number, 0 or more), got "redis://h:6379/x"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": "redis://"}}               | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (it needs a host after redis://), got "redis://"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": "redis://bob@h"}}          | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (a user name needs its password: user:password@ (or :password@ for the default user)), got "redis://***@h"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": "rediss://h"}}             | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (TLS (rediss://) is not supported; use redis:// on a trusted network), got "rediss://h"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"storage": {"redis_url": 6379}}                     | {file}: storage.redis_url must be a Redis URL redis://[user:password@]host:port[/db], got 6379; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"cluster": {"redis_url": "redis://u:pw@h:0"}}       | {file}: cluster.redis_url must be a Redis URL redis://[user:password@]host:port[/db] (the port must be a number from 1 to 65535), got "redis://***@h:0"; set it to e.g. "redis://localhost:6379" or remove it to use the default
            {"cluster": {"node_id": "node 1"}}                   | {file}: cluster.node_id must be a node name of 1-100 characters from A-Z a-z 0-9 . _ : -, got "node 1"; set it to e.g. "node-1" or remove it to use the default
            {"cluster": {"node_id": ""}}                         | {file}: cluster.node_id must be a node name of 1-100 characters from A-Z a-z 0-9 . _ : -, got ""; set it to e.g. "node-1" or remove it to use the default
            {"cluster": {"node_lease_ms": 99}}                   | {file}: cluster.node_lease_ms must be a whole number of milliseconds from 100 to 3600000, got 99; set it to e.g. 5000 or remove it to use the default
            {"cluster": {"node_lease_ms": "5000"}}               | {file}: cluster.node_lease_ms must be a number, not a string, got "5000"; write it without quotes: 5000
            {"cluster": "redis://h"}                             | {file}: cluster must be a JSON object such as {"redis_url": "redis://localhost:6379"}, got a string; put its keys inside { }
            """)
    void badValuesAreOneLineNamingTheKey(String json, String expected) throws IOException {
        assertThat(fileError(json)).isEqualTo(expected);
    }

    @Test
    void aPasswordInABadUrlFromTheEnvironmentIsMasked() {
        assertThat(envError(Map.of("TESTSYNC_STORAGE_REDIS_URL", "redis://app:hunter2@h:70000"))).isEqualTo(
                "environment variable TESTSYNC_STORAGE_REDIS_URL (storage.redis_url) must be a Redis URL"
                        + " redis://[user:password@]host:port[/db] (the port must be a number from 1 to 65535),"
                        + " got \"redis://***@h:70000\"; set e.g. TESTSYNC_STORAGE_REDIS_URL=redis://localhost:6379 or unset it");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"cluster": {"redis_url": "redis://h:6379"}}                                         | {file}: cluster.redis_url turns on cluster mode, but storage.type is "memory" (the default); cluster mode needs storage.type "redis" with storage.redis_url, so that every node sees the same data: set them, or remove cluster.redis_url to run a single node
            {"cluster": {"redis_url": "redis://h:6379"}, "storage": {"type": "sqlite"}}          | {file}: cluster.redis_url turns on cluster mode, but {file}: storage.type is "sqlite"; cluster mode needs storage.type "redis" with storage.redis_url, so that every node sees the same data: set them, or remove cluster.redis_url to run a single node
            """)
    void clusterModeWithoutRedisStorageRefusesToStart(String json, String expected) throws IOException {
        assertThat(fileError(json)).isEqualTo(expected);
    }

    @Test
    void clusterModeFromTheEnvironmentWithSqliteStorageNamesTheVariables() {
        assertThat(envError(Map.of("TESTSYNC_CLUSTER_REDIS_URL", "redis://h", "TESTSYNC_STORAGE_TYPE", "sqlite"))).isEqualTo(
                "environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) turns on cluster mode, but environment"
                        + " variable TESTSYNC_STORAGE_TYPE (storage.type) is \"sqlite\"; cluster mode needs storage.type \"redis\""
                        + " with storage.redis_url, so that every node sees the same data: set them, or remove cluster.redis_url"
                        + " to run a single node");
    }

    @Test
    void clusterKeysWithoutRedisUrlAreNoClusterAndNeedNoRedisStorage() throws Exception {
        Config config = load("{\"cluster\": {\"node_id\": \"n1\", \"node_lease_ms\": 2000}}");
        assertThat(config.cluster().enabled()).isFalse();
        assertThat(config.storage().type()).isEqualTo("memory");
    }

    @Test
    void redisStorageRecordNeedsItsUrl() {
        assertThatThrownBy(() -> new Config.Storage(Config.Storage.REDIS, dir, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
