package io.testsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.testsync.server.config.ConfigException;
import io.testsync.server.config.RedisUrl;
import io.testsync.testkit.RedisProcess;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract against Redis (a real redis-server, AOF with fsync per write), plus what Redis storage adds. */
class RedisStoreTest extends StoreContractTest {
    static Vertx vertx;
    static Path dir;
    static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        vertx = Vertx.vertx();
        dir = Files.createTempDirectory("testsync-redis-store");
        redis = RedisProcess.durable(dir.resolve("redis"));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    DataStore newStore() throws ConfigException {
        if (!redis.isRunning()) redis.restart();
        redis.call("FLUSHALL");
        return RedisStore.open(vertx, RedisUrl.parse(redis.url()), System::currentTimeMillis);
    }

    @Test
    void eachRunsDataIsOneHashUnderItsHashTag() {
        await(store.put("run-7", new StoredData(utf8("{\"a\":1}"), "application/json")));
        assertThat(redis.call("KEYS", "*")).isEqualTo(List.of("testsync:{run-7}:data"));
        assertThat(redis.call("HGET", "testsync:{run-7}:data", "bytes")).isEqualTo("{\"a\":1}");
        assertThat(redis.call("HGET", "testsync:{run-7}:data", "type")).isEqualTo("application/json");
        assertThat(Long.parseLong((String) redis.call("HGET", "testsync:{run-7}:data", "at")))
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void checkWritesAProbeKeyOutsideTheRunsData() {
        await(store.check());
        assertThat(redis.call("EXISTS", RedisStore.READINESS_KEY)).isEqualTo(1L);
        assertThat(await(store.removeIdle(Long.MAX_VALUE, id -> false))).as("the probe is no run").isEmpty();
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9OfRedisWithAppendfsyncAlways() throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) writes.add(store.put("durable-" + i, text("value " + i)));
        writes.forEach(StoreContractTest::await);
        assertThat(await(store.create("created", text("once")))).isTrue();

        redis.kill(); // SIGKILL right after the last acknowledgement: no shutdown, no final flush
        redis.restart();
        store.close();
        store = RedisStore.open(vertx, RedisUrl.parse(redis.url()), System::currentTimeMillis);
        for (int i = 0; i < 200; i++) assertStored("durable-" + i, text("value " + i));
        assertStored("created", text("once"));
    }

    @Test
    void withoutPersistenceTheSameKillLosesEverything() throws Exception {
        // The control for the test above: the kill is real, so only the AOF kept the data there.
        try (RedisProcess volatileRedis = RedisProcess.start(dir.resolve("volatile"))) {
            DataStore other = RedisStore.open(vertx, RedisUrl.parse(volatileRedis.url()), System::currentTimeMillis);
            try {
                await(other.put("lost", text("gone after the kill")));
                volatileRedis.kill();
                volatileRedis.restart();
                Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    await(other.check());
                    return true;
                });
                assertThat(await(other.get("lost"))).isEmpty();
            } finally {
                other.close();
            }
        }
    }

    @Test
    void whileRedisIsDownEveryCallFailsWithStoreExceptionAndAllWorksAgainOnceItIsBack() {
        await(store.put("before", text("kept")));
        redis.kill();
        List<CompletableFuture<?>> calls = List.of(store.get("before"), store.put("during", text("x")),
                store.create("during", text("y")), store.delete("before"), store.check(),
                store.removeIdle(Long.MAX_VALUE, id -> false));
        for (CompletableFuture<?> call : calls) {
            assertThatThrownBy(() -> await(call)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("Redis at " + redis.url() + " failed");
        }

        redis.restart(); // the same store, no reopening
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            await(store.check());
            return true;
        });
        assertStored("before", text("kept"));
        assertThat(await(store.get("during"))).as("the failed writes were not applied").isEmpty();
        assertThat(await(store.create("during", text("now")))).isTrue();
        assertStored("during", text("now"));
    }

    @Test
    void openingWithoutARedisIsOneLineNamingTheKeyAndTheAddressButNoPassword() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisUrl url = RedisUrl.parse("redis://ops:hunter2@127.0.0.1:" + port + "/3");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RedisStore.open(vertx, url, System::currentTimeMillis));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("storage.redis_url: cannot use Redis at redis://ops:***@127.0.0.1:" + port + "/3 (")
                .contains("Connection refused")
                .endsWith("); start Redis there, or fix storage.redis_url (host, port, user:password)")
                .doesNotContain("hunter2").doesNotContain("\n");
    }

    @Test
    void retentionUsesTheStoresClockForWriteTimes() throws Exception {
        store.close();
        store = RedisStore.open(vertx, RedisUrl.parse(redis.url()), () -> 1_000);
        await(store.put("old", text("x")));
        assertThat(await(store.removeIdle(1_000, id -> false))).isEmpty();
        assertThat(await(store.removeIdle(1_001, id -> false))).containsExactly("old");
    }
}
