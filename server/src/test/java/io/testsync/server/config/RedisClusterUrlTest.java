package io.testsync.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cluster.redis_url and storage.redis_url naming a Redis Cluster: redis-cluster://host:port,host:port (SPEC §11). */
class RedisClusterUrlTest {

    @TempDir
    Path dir;

    @Test
    void aRedisClusterIsNamedByAnyOfItsNodesWithOneSetOfCredentials() {
        RedisUrl url = RedisUrl.parse("redis-cluster://app:hunter2@10.0.0.1:7000,redis-b:7001,[::1]:7002");
        assertThat(url.isCluster()).isTrue();
        assertThat(url.cluster()).containsExactly("10.0.0.1:7000", "redis-b:7001", "[::1]:7002");
        assertThat(url.addresses()).containsExactly("redis://10.0.0.1:7000/0", "redis://redis-b:7001/0", "redis://[::1]:7002/0");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("hunter2");
        assertThat(url.toString()).isEqualTo("redis-cluster://app:***@10.0.0.1:7000,redis-b:7001,[::1]:7002");
        assertThat(RedisUrl.parse("redis-cluster://h").cluster()).as("the port defaults to 6379").containsExactly("h:6379");
        assertThat(RedisUrl.parse("redis://h:1").isCluster()).isFalse();
        assertThatThrownBy(url::address).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bothKeysTakeAClusterUrlFromTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("configuration.json"), """
                {"storage": {"type": "redis", "redis_url": "redis-cluster://127.0.0.1:7000,127.0.0.1:7001"},
                 "cluster": {"redis_url": "redis-cluster://127.0.0.1:7000,127.0.0.1:7001"}}
                """);
        Config config = ConfigLoader.load(file.toString(), Map.of(), dir).config();
        assertThat(config.cluster().redisUrl().cluster()).isEqualTo(List.of("127.0.0.1:7000", "127.0.0.1:7001"));
        assertThat(config.storage().redisUrl().isCluster()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            redis-cluster://h:7000/1         | environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) must be a Redis URL redis://[user:password@]host:port[/db] (a Redis Cluster has database 0 only: no /db in redis-cluster://[user:password@]host:port[,host:port...]), got "redis-cluster://h:7000/1"; set e.g. TESTSYNC_CLUSTER_REDIS_URL=redis://localhost:6379 or unset it
            redis-cluster://                 | environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) must be a Redis URL redis://[user:password@]host:port[/db] (it needs at least one host:port: redis-cluster://[user:password@]host:port[,host:port...]), got "redis-cluster://"; set e.g. TESTSYNC_CLUSTER_REDIS_URL=redis://localhost:6379 or unset it
            redis-cluster://h:7000,,h:7001   | environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) must be a Redis URL redis://[user:password@]host:port[/db] (a node between commas is empty: redis-cluster://[user:password@]host:port[,host:port...]), got "redis-cluster://h:7000,,h:7001"; set e.g. TESTSYNC_CLUSTER_REDIS_URL=redis://localhost:6379 or unset it
            redis-cluster://h:7000,h:99999   | environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) must be a Redis URL redis://[user:password@]host:port[/db] (the port must be a number from 1 to 65535), got "redis-cluster://h:7000,h:99999"; set e.g. TESTSYNC_CLUSTER_REDIS_URL=redis://localhost:6379 or unset it
            redis-cluster://u:pw@h:0         | environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) must be a Redis URL redis://[user:password@]host:port[/db] (the port must be a number from 1 to 65535), got "redis-cluster://***@h:0"; set e.g. TESTSYNC_CLUSTER_REDIS_URL=redis://localhost:6379 or unset it
            """)
    void aBadClusterUrlIsOneLineNamingTheKeyWithoutThePassword(String value, String expected) {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("TESTSYNC_CLUSTER_REDIS_URL", value), dir));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected).doesNotContain("\n");
    }
}
