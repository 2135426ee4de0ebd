package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The ...Async twins: results off the reading thread, callbacks that call the client back, many calls in flight. */
class AsyncTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start(100);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void everyAsyncTwinAnswersLikeItsBlockingMethod() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        assertThat(a.setDataAsync("{\"k\":1}").get(10, TimeUnit.SECONDS)).isNull();
        assertThat(a.dataAsync().get(10, TimeUnit.SECONDS)).isEqualTo("{\"k\":1}");
        assertThat(a.dataBytesAsync().get(10, TimeUnit.SECONDS)).isEqualTo("{\"k\":1}".getBytes());
        assertThat(a.connectionCountAsync().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.signalEntryAsync("s").get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.counterAsync("c", 4).get(10, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(a.publishAsync("t", "true").get(10, TimeUnit.SECONDS)).isEqualTo(1);
        List<Message> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription s = a.subscribeAsync("t", 1, got::add).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().until(() -> got.size() == 1);
        s.closeAsync().get(10, TimeUnit.SECONDS);
        Lock l = a.lockAsync("l", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        l.unlockAsync().get(10, TimeUnit.SECONDS);
        Release r = a.checkpointAsync("solo", 1, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(r.resumeAtNanos());
        TestSyncClient b = TestSyncClient.connectAsync(fx.uri(), run, fx.options("b")).get(10, TimeUnit.SECONDS);
        fx.own(b);
        assertThat(b.counter("c")).isEqualTo(4);
    }

    @Test
    void resultsArriveOnAClientThreadThatMayCallTheClientBack() throws Exception {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        String thread = a.counterAsync("c", 1).thenApply(v -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertThat(thread).startsWith("testsync-client-callback");
        // a blocking call inside a continuation: would deadlock if the continuation ran on the reading thread
        long second = a.counterAsync("c", 1).thenApply(v -> a.counter("c", 1)).get(10, TimeUnit.SECONDS);
        assertThat(second).isEqualTo(3);
    }

    @Test
    void aSubscriptionHandlerMayCallTheClientBack() throws Exception {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        CompletableFuture<Long> fromHandler = new CompletableFuture<>();
        a.subscribe("t", m -> fromHandler.complete(a.counter("seen", 1)));
        a.publish("t", "{}");
        assertThat(fromHandler.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void twoHundredCallsInFlightOnOneClientEachGetTheirOwnReply() throws Exception {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) calls.add(a.counterAsync("n", 1));
        List<Long> values = new ArrayList<>();
        for (CompletableFuture<Long> c : calls) values.add(c.get(10, TimeUnit.SECONDS));
        // commands run in the order they were sent, so the i-th call saw the i-th increment
        assertThat(values).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    }
}
