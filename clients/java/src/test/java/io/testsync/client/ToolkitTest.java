package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** signalEntry, counter, publish and subscribe against the real server. */
class ToolkitTest {
    static final long MAX_SAFE = (1L << 53) - 1;
    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void signalEntryNumbersAgentsInTheOrderTheyCame() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        assertThat(a.signalEntry("roles")).isEqualTo(1);
        assertThat(b.signalEntry("roles")).isEqualTo(2);
        assertThat(b.signalEntry("other")).isEqualTo(1);
    }

    @Test
    void countersAddAtomicallyAndReadWithZero() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        assertThat(a.counter("users")).isZero();
        assertThat(a.counter("users", 1)).isEqualTo(1);
        assertThat(b.counter("users", 2)).isEqualTo(3);
        assertThat(a.counter("users")).isEqualTo(3);
        assertThat(a.counter("debt", -5)).isEqualTo(-5);
    }

    @Test
    void aCounterBeyondTwoToThe53IsInvalidArgumentAndUnchanged() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        assertThat(a.counter("big", MAX_SAFE)).isEqualTo(MAX_SAFE);
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.counter("big", 1));
        assertThat(e.code()).isEqualTo("invalid_argument");
        assertThat(e.command()).isEqualTo("counter");
        assertThat(a.counter("big")).isEqualTo(MAX_SAFE);
    }

    @Test
    void aSubscriberGetsTheReplayThenLiveMessagesWithExactPayloads() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient pub = fx.connect(run, "pub");
        TestSyncClient sub = fx.connect(run, "sub");
        assertThat(pub.publish("addresses", "{\"ip\":\"10.0.0.7\"}")).isEqualTo(1);
        assertThat(pub.publish("addresses", "[1, 2.50 ,\"x\"]")).isEqualTo(2);
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();
        try (Subscription s = sub.subscribe("addresses", 1, got::add)) {
            assertThat(s.topic()).isEqualTo("addresses");
            assertThat(next(got)).extracting(Message::topic, Message::seq, Message::payload)
                    .containsExactly("addresses", 1L, "{\"ip\":\"10.0.0.7\"}");
            assertThat(next(got).payload()).isEqualTo("[1, 2.50 ,\"x\"]");
            assertThat(pub.publish("addresses", "{ \"ip\" : \"10.0.0.9\" }")).isEqualTo(3);
            Message live = next(got);
            assertThat(live.seq()).isEqualTo(3);
            assertThat(live.payload()).isEqualTo("{ \"ip\" : \"10.0.0.9\" }");
            assertThat(live.publishedAtMs()).isPositive();
            org.awaitility.Awaitility.await().until(() -> s.lastSeq() == 3);
        }
    }

    @Test
    void fromSeqSkipsEarlierMessages() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        for (int i = 1; i <= 3; i++) a.publish("t", Integer.toString(i));
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();
        a.subscribe("t", 3, got::add);
        assertThat(next(got).payload()).isEqualTo("3");
        a.publish("t", "null");
        assertThat(next(got)).extracting(Message::seq, Message::payload).containsExactly(4L, "null");
    }

    @Test
    void aSecondSubscribeToTheSameTopicIsInvalidArgumentAndTheFirstGoesOn() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();
        a.subscribe("t", got::add);
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.subscribe("t", m -> { }));
        assertThat(e.code()).isEqualTo("invalid_argument");
        assertThat(e.command()).isEqualTo("subscribe");
        a.publish("t", "1");
        assertThat(next(got).payload()).isEqualTo("1");
    }

    @Test
    void afterCloseNoMessageReachesTheHandler() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient pub = fx.connect(run, "pub");
        TestSyncClient sub = fx.connect(run, "sub");
        BlockingQueue<Message> closedTopic = new LinkedBlockingQueue<>();
        BlockingQueue<Message> openTopic = new LinkedBlockingQueue<>();
        Subscription s = sub.subscribe("a", closedTopic::add);
        sub.subscribe("b", openTopic::add);
        s.close();
        s.close();
        assertThat(s.ended()).isCompleted();
        pub.publish("a", "1");
        pub.publish("b", "2");
        // the server sends in order on sub's connection: had "a" been delivered, it would be before "b"
        assertThat(next(openTopic).payload()).isEqualTo("2");
        assertThat(closedTopic).isEmpty();
        // and the topic can be followed again, from its start
        sub.subscribe("a", closedTopic::add);
        assertThat(next(closedTopic).payload()).isEqualTo("1");
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheNextMessages() throws Exception {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
        a.subscribe("t", m -> {
            seen.add(m.seq());
            if (m.seq() == 1) throw new IllegalStateException("handler bug");
        });
        a.publish("t", "1");
        a.publish("t", "2");
        assertThat(List.of(seen.poll(10, TimeUnit.SECONDS), seen.poll(10, TimeUnit.SECONDS))).containsExactly(1L, 2L);
    }

    @Test
    void aPayloadOverTheLimitIsPayloadTooLarge() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        String big = "\"" + "x".repeat(1024 * 1024) + "\"";
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.publish("t", big));
        assertThat(e.code()).isEqualTo("payload_too_large");
        assertThat(a.publish("t", "1")).isEqualTo(1);
    }

    static Message next(BlockingQueue<Message> q) throws InterruptedException {
        Message m = q.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }
}
