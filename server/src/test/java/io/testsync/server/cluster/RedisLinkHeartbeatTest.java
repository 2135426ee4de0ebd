package io.testsync.server.cluster;

import static io.testsync.server.cluster.RedisLinkTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.config.RedisUrl;
import io.testsync.testkit.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pub/sub heartbeat: a Redis that stops answering without closing its sockets (SIGSTOP) is noticed
 * by the unanswered PING, the connection is given up and opened again once Redis answers, and the
 * subscriptions work again and tell their handlers so.
 */
class RedisLinkHeartbeatTest {
    private static final long HEARTBEAT_MS = 200;

    @TempDir
    Path dir;

    private Vertx vertx;
    private RedisProcess redis;
    private RedisLink link;

    @AfterEach
    void stop() throws Exception {
        if (link != null) link.close();
        if (redis != null) redis.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHungRedisIsNoticedByTheHeartbeatAndThePubSubConnectionComesBackAfterIt() {
        vertx = Vertx.vertx();
        redis = RedisProcess.start(dir.resolve("redis"));
        RedisLink.Options d = RedisLink.Options.defaults();
        link = await(RedisLink.open(vertx, RedisUrl.parse(redis.url()),
                new RedisLink.Options(d.poolSize(), d.poolWaiting(), d.connectTimeoutMs(), d.commandTimeoutMs(), 20, 200, HEARTBEAT_MS),
                List.of()));
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger resubscribed = new AtomicInteger();
        Subscription sub = link.subscribe("beat", new SubscriptionHandler() {
            @Override
            public void message(String channel, Buffer payload) {
                received.add(payload.toString());
            }

            @Override
            public void resubscribed() {
                resubscribed.incrementAndGet();
            }
        });
        await(sub.ready());
        assertThat(link.subscriberConnected()).isTrue();

        redis.pause(); // the sockets stay open; nothing answers
        // noticed within two heartbeats; 5 s leaves room for a slow machine, and without the heartbeat it is never
        Awaitility.await("the hung pub/sub connection is given up").atMost(Duration.ofSeconds(5)).until(() -> !link.subscriberConnected());

        redis.resume();
        Awaitility.await("the pub/sub connection is back").atMost(Duration.ofSeconds(10))
                .until(() -> link.subscriberConnected() && resubscribed.get() == 1);
        assertThat(link.subscriberReconnects()).isEqualTo(1);
        assertThat(redis.call("PUBLISH", "beat", "after")).isEqualTo(1L);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.equals(List.of("after")));
        assertThat(link.subscriberConnected()).as("the heartbeat keeps a live connection").isTrue();
    }
}
