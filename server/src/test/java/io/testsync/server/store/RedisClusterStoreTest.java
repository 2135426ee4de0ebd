package io.testsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.cluster.LocalRedisCluster;
import io.testsync.server.config.ConfigException;
import io.testsync.server.config.RedisUrl;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract against a Redis Cluster of three Redis nodes (SPEC §11 "Past one Redis"). */
class RedisClusterStoreTest extends StoreContractTest {
    static Vertx vertx;
    static LocalRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        vertx = Vertx.vertx();
        cluster = LocalRedisCluster.start(Files.createTempDirectory("testsync-redis-cluster-store"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    DataStore newStore() throws ConfigException {
        cluster.call("FLUSHALL");
        return RedisStore.open(vertx, RedisUrl.parse(cluster.url()), System::currentTimeMillis);
    }

    @Test
    void runsAreShardedOverTheRedisNodesAndRetentionFindsThemOnEvery() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String run = "sharded-" + i;
            await(store.put(run, new StoredData(("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain")));
            ports.add(cluster.nodeOf(RedisStore.key(run)).port());
            assertThat(cluster.nodeOf(RedisStore.key(run)).call("HGET", RedisStore.key(run), "bytes")).isEqualTo("v" + i);
        }
        assertThat(ports).as("30 runs land on all three Redis nodes").hasSize(3);

        List<String> removed = await(store.removeIdle(Long.MAX_VALUE, id -> id.equals("sharded-0")));
        assertThat(removed).hasSize(29).doesNotContain("sharded-0");
        assertThat(cluster.call("KEYS", "testsync:{*}:data")).isEqualTo(List.of(RedisStore.key("sharded-0")));
    }
}
