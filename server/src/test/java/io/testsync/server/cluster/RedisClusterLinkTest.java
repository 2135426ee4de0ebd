package io.testsync.server.cluster;

import static io.testsync.server.cluster.RedisLinkTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.config.RedisUrl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A link on a Redis Cluster: its pub/sub connection hears every node's PUBLISH and moves on when its node dies. */
class RedisClusterLinkTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private LocalRedisCluster cluster;
    private RedisLink link;

    @AfterEach
    void stop() throws Exception {
        if (link != null) link.close();
        if (cluster != null) cluster.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSubscriberHearsEveryNodeAndMovesToTheNextNodeWhenItsNodeDies() {
        vertx = Vertx.vertx();
        cluster = LocalRedisCluster.start(dir);
        link = await(RedisLink.open(vertx, RedisUrl.parse(cluster.url()), RedisLinkTest.fastReconnect(), List.of()));
        List<String> received = new CopyOnWriteArrayList<>();
        await(link.psubscribe("testsync:{*}:ev", (channel, payload) -> received.add(channel + "=" + payload)).ready());

        for (int i = 0; i < 3; i++) cluster.nodes().get(i).call("PUBLISH", "testsync:{r" + i + "}:ev", "n" + i);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).containsExactlyInAnyOrder("testsync:{r0}:ev=n0", "testsync:{r1}:ev=n1", "testsync:{r2}:ev=n2");

        cluster.nodes().get(0).kill(); // the node the URL names first, which the subscriber is on
        Awaitility.await("the subscriber is on another node").atMost(Duration.ofSeconds(10))
                .until(() -> link.subscriberConnected() && link.subscriberReconnects() == 1);
        cluster.nodes().get(2).call("PUBLISH", "testsync:{r9}:ev", "after");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("testsync:{r9}:ev=after"));
    }
}
