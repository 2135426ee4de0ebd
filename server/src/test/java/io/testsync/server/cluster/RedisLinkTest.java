package io.testsync.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.awaitility.Awaitility;

import io.testsync.server.config.RedisUrl;
import io.testsync.testkit.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RedisLink against a real redis-server process: commands, scripts, clock, pub/sub, and recovery after Redis restarts. */
class RedisLinkTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Script ECHO_SUM = Script.of("echo_sum", """
            redis.call('SET', KEYS[1], ARGV[1])
            return tonumber(ARGV[1]) + tonumber(ARGV[2])
            """);

    static Vertx vertx;

    @TempDir
    Path dir;

    RedisProcess redis;
    RedisLink link;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startRedis() {
        redis = RedisProcess.start(dir.resolve("redis"), "appendonly yes", "appendfsync always");
        link = await(RedisLink.open(vertx, RedisUrl.parse(redis.url()), fastReconnect(), List.of(ECHO_SUM)));
    }

    @AfterEach
    void stopRedis() {
        if (link != null) link.close();
        redis.close();
    }

    static RedisLink.Options fastReconnect() {
        RedisLink.Options d = RedisLink.Options.defaults();
        return new RedisLink.Options(d.poolSize(), d.poolWaiting(), d.connectTimeoutMs(), d.commandTimeoutMs(), 20, 200);
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static boolean succeeds(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sendsCommandsOnThePool() {
        assertThat(await(link.send(Request.cmd(Command.SET).arg("k").arg("v"))).toString()).isEqualTo("OK");
        assertThat(await(link.send(Request.cmd(Command.GET).arg("k"))).toString()).isEqualTo("v");
        assertThat(await(link.send(Request.cmd(Command.GET).arg("missing")))).isNull();
        assertThat(redis.call("GET", "k")).isEqualTo("v");
    }

    @Test
    void aRedisErrorFailsTheFutureWithItsMessage() {
        redis.call("SET", "text", "x");
        assertThatThrownBy(() -> await(link.send(Request.cmd(Command.INCR).arg("text"))))
                .hasMessageContaining("ERR value is not an integer");
    }

    @Test
    void redisTimeIsRedissClockInUnixMilliseconds() {
        long before = System.currentTimeMillis();
        long redisNow = await(link.redisTimeMs());
        long after = System.currentTimeMillis();
        // Redis runs on this machine, on the same clock: its reading lies within the round trip.
        assertThat(redisNow).isBetween(before, after);
    }

    @Test
    void theClockOffsetIsMeasuredAtOpenAndBoundedByHalfTheRoundTrip() {
        ClockOffset atOpen = link.clockOffset();
        assertThat(atOpen).isNotEqualTo(ClockOffset.NONE);
        ClockOffset offset = await(link.measureClockOffset(5));
        assertThat(link.clockOffset()).isEqualTo(offset);
        // Same machine, same clock: the true offset is 0, so the measurement is off by at most half its round trip.
        assertThat(Math.abs(offset.offsetMs())).isLessThanOrEqualTo(offset.roundTripMs() / 2 + 1);
        assertThat(offset.toLocal(offset.toRedis(1_000))).isEqualTo(1_000);
        long shared = link.sharedNowMs();
        assertThat(Math.abs(shared - System.currentTimeMillis())).isLessThanOrEqualTo(offset.roundTripMs() / 2 + 2);
    }

    @Test
    void scriptsRunByShaWithKeysAndArguments() {
        assertThat(redis.call("SCRIPT", "EXISTS", ECHO_SUM.sha1())).isEqualTo(List.of(1L));
        Response sum = await(link.evalScript(ECHO_SUM, List.of("{run}:x"), List.of("40", 2L)));
        assertThat(sum.toLong()).isEqualTo(42);
        assertThat(redis.call("GET", "{run}:x")).isEqualTo("40");
        assertThat(link.scriptReloads()).isZero();
    }

    @Test
    void aScriptRedisForgotIsLoadedAgainTransparently() {
        redis.call("SCRIPT", "FLUSH");
        assertThat(redis.call("SCRIPT", "EXISTS", ECHO_SUM.sha1())).isEqualTo(List.of(0L));
        assertThat(await(link.evalScript(ECHO_SUM, List.of("k"), List.of("1", "1"))).toLong()).isEqualTo(2);
        assertThat(link.scriptReloads()).isEqualTo(1);
        assertThat(redis.call("SCRIPT", "EXISTS", ECHO_SUM.sha1())).isEqualTo(List.of(1L));
    }

    @Test
    void aScriptThatFailsInRedisFailsTheFutureWithoutReloading() {
        Script broken = Script.of("broken", "return redis.call('INCR', KEYS[1])");
        await(link.load(List.of(broken)));
        redis.call("SET", "text", "x");
        assertThatThrownBy(() -> await(link.evalScript(broken, List.of("text"), List.of())))
                .hasMessageContaining("not an integer");
        assertThat(link.scriptReloads()).isZero();
    }

    @Test
    void commandsWorkAgainAfterRedisIsKilledAndRestarted() {
        await(link.send(Request.cmd(Command.SET).arg("before").arg("1")));
        redis.kill();
        assertThat(succeeds(link.send(Request.cmd(Command.PING)))).as("no Redis, no answer").isFalse();
        assertThat(succeeds(link.evalScript(ECHO_SUM, List.of("k"), List.of("1", "2")))).isFalse();

        redis.restart();
        Awaitility.await().atMost(WAIT).until(() -> succeeds(link.send(Request.cmd(Command.PING))));
        assertThat(await(link.send(Request.cmd(Command.GET).arg("before"))).toString()).as("AOF always kept it").isEqualTo("1");
        assertThat(await(link.evalScript(ECHO_SUM, List.of("k"), List.of("1", "2"))).toLong()).isEqualTo(3);
    }

    @Test
    void aRedisRestartedWithoutItsScriptsGetsThemLoadedAgainInsideTheCall() {
        // Without persistence the restarted Redis is empty, its script cache too (Redis 6 keeps SCRIPT LOAD in
        // the AOF, Redis 7 does not: the case to handle either way).
        link.close();
        redis.close();
        redis = RedisProcess.start(dir.resolve("volatile"));
        link = await(RedisLink.open(vertx, RedisUrl.parse(redis.url()), fastReconnect(), List.of(ECHO_SUM)));
        redis.kill();
        redis.restart();
        assertThat(redis.call("SCRIPT", "EXISTS", ECHO_SUM.sha1())).isEqualTo(List.of(0L));

        Awaitility.await().atMost(WAIT).until(() -> succeeds(link.send(Request.cmd(Command.PING))));
        assertThat(await(link.evalScript(ECHO_SUM, List.of("k"), List.of("1", "2"))).toLong()).isEqualTo(3);
        assertThat(link.scriptReloads()).isEqualTo(1);
    }

    @Test
    void aRedisThatStopsAnsweringFailsCommandsAfterTheTimeoutAndTheyWorkOnceItAnswersAgain() {
        RedisLink.Options d = fastReconnect();
        RedisLink impatient = await(RedisLink.open(vertx, RedisUrl.parse(redis.url()),
                new RedisLink.Options(2, d.poolWaiting(), d.connectTimeoutMs(), 1_000, 20, 200), List.of()));
        try {
            redis.pause();
            List<Future<Response>> stuck = List.of(impatient.send(Request.cmd(Command.SET).arg("late").arg("1")),
                    impatient.send(Request.cmd(Command.PING)), impatient.send(Request.cmd(Command.PING)));
            for (Future<Response> call : stuck) {
                assertThatThrownBy(() -> await(call)).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
            }
            redis.resume();
            Awaitility.await().atMost(WAIT).until(() -> succeeds(impatient.send(Request.cmd(Command.PING))));
            // Both pooled connections come back once Redis answers the stuck commands: nothing is left starved.
            for (int i = 0; i < 20; i++) {
                Future<Response> first = impatient.send(Request.cmd(Command.PING));
                Future<Response> second = impatient.send(Request.cmd(Command.PING));
                assertThat(await(first).toString() + await(second)).isEqualTo("PONGPONG");
            }
            assertThat(redis.call("GET", "late")).as("a timed-out command may still have been applied").isEqualTo("1");
        } finally {
            impatient.close();
        }
    }

    @Test
    void subscribersReceiveExactPayloadsAndPatternsTheirChannel() {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        Subscription plain = link.subscribe("testsync:{r}:release", (channel, payload) -> got.add(channel + "=" + payload.toString()));
        Subscription pattern = link.psubscribe("testsync:{*}:lock", (channel, payload) -> got.add("p " + channel + "=" + payload.toString()));
        await(plain.ready());
        await(pattern.ready());
        assertThat(link.subscriberConnected()).isTrue();

        assertThat(redis.call("PUBLISH", "testsync:{r}:release", "{\"start_at\":1}")).isEqualTo(1L);
        assertThat(take(got)).isEqualTo("testsync:{r}:release={\"start_at\":1}");
        assertThat(await(link.publish("testsync:{other}:lock", Buffer.buffer("granted")))).isEqualTo(1);
        assertThat(take(got)).isEqualTo("p testsync:{other}:lock=granted");

        await(plain.close());
        assertThat(redis.call("PUBSUB", "NUMSUB", "testsync:{r}:release")).isEqualTo(List.of("testsync:{r}:release", 0L));
        assertThat(redis.call("PUBLISH", "testsync:{r}:release", "late")).isEqualTo(0L);
        await(pattern.close());
        assertThat(redis.call("PUBSUB", "NUMPAT")).isEqualTo(0L);
    }

    @Test
    void twoHandlersOfOneChannelShareOneRedisSubscription() {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        Subscription a = link.subscribe("c", (channel, payload) -> got.add("a:" + payload));
        await(a.ready());
        Subscription b = link.subscribe("c", (channel, payload) -> got.add("b:" + payload));
        await(b.ready());
        assertThat(redis.call("PUBLISH", "c", "m")).as("one connection subscribed").isEqualTo(1L);
        assertThat(List.of(take(got), take(got))).containsExactlyInAnyOrder("a:m", "b:m");
        await(a.close());
        assertThat(redis.call("PUBLISH", "c", "n")).isEqualTo(1L);
        assertThat(take(got)).isEqualTo("b:n");
    }

    @Test
    void subscriptionsAreReestablishedAfterRedisIsKilledAndRestarted() {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        AtomicInteger resubscribed = new AtomicInteger();
        Subscription sub = link.subscribe("events", new SubscriptionHandler() {
            @Override
            public void message(String channel, Buffer payload) {
                got.add(payload.toString());
            }

            @Override
            public void resubscribed() {
                resubscribed.incrementAndGet();
            }
        });
        await(sub.ready());
        redis.call("PUBLISH", "events", "one");
        assertThat(take(got)).isEqualTo("one");

        redis.kill();
        Awaitility.await().atMost(WAIT).until(() -> !link.subscriberConnected());
        // Subscribed while Redis is down: it takes effect once Redis is back.
        LinkedBlockingQueue<String> late = new LinkedBlockingQueue<>();
        Subscription lateSub = link.subscribe("later", (channel, payload) -> late.add(payload.toString()));
        redis.restart();

        Awaitility.await().atMost(WAIT).until(() -> resubscribed.get() == 1);
        await(lateSub.ready());
        assertThat(redis.call("PUBLISH", "events", "two")).isEqualTo(1L);
        assertThat(take(got)).isEqualTo("two");
        assertThat(redis.call("PUBLISH", "later", "three")).isEqualTo(1L);
        assertThat(take(late)).isEqualTo("three");
        assertThat(link.subscriberReconnects()).isEqualTo(1);
        assertThat(resubscribed.get()).as("told once per reconnection").isEqualTo(1);
    }

    @Test
    void openFailsWhenNoRedisListens() {
        int port = redis.port();
        link.close();
        link = null;
        redis.kill();
        Future<RedisLink> opening = RedisLink.open(vertx, RedisUrl.of("127.0.0.1", port), fastReconnect(), List.of(ECHO_SUM));
        assertThatThrownBy(() -> await(opening)).hasMessageContaining("Connection refused");
    }

    @Test
    void credentialsInTheUrlAreUsedAndWrongOnesRefused() {
        redis.call("CONFIG", "SET", "requirepass", "s3cret");
        RedisUrl right = RedisUrl.parse("redis://:s3cret@127.0.0.1:" + redis.port() + "/2");
        RedisLink authed = await(RedisLink.open(vertx, right, fastReconnect(), List.of()));
        try {
            await(authed.send(Request.cmd(Command.SET).arg("in-db-2").arg("yes")));
        } finally {
            authed.close();
        }
        RedisUrl wrong = RedisUrl.parse("redis://:nope@127.0.0.1:" + redis.port());
        assertThatThrownBy(() -> await(RedisLink.open(vertx, wrong, fastReconnect(), List.of())))
                .hasMessageContaining("WRONGPASS");
        try (var client = new io.testsync.testkit.RespClient(redis.port())) {
            client.call("AUTH", "s3cret");
            client.call("SELECT", "2");
            assertThat(client.call("GET", "in-db-2")).isEqualTo("yes");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String take(LinkedBlockingQueue<String> queue) {
        try {
            String next = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next).as("a message within %s", WAIT).isNotNull();
            return next;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
