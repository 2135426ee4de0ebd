package io.testsync.faults;

import io.testsync.testkit.ServerJar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §9.3, topics under churn: 200 subscribers follow one topic while 5 publishers publish 2,000
 * messages; 50 subscribers drop (connection aborted, no close frame) while messages flow, and come
 * back on a new connection subscribing with {@code from_seq} = their last seq + 1 — half while the
 * publishers pause (all replay), half as they go on (replay, then live). Every subscriber must see
 * every message exactly once, in seq order, with the payload its publisher's reply put at that seq.
 */
class TopicResubscribeFaultTest {
    static final int SUBSCRIBERS = 200;
    static final int PUBLISHERS = 5;
    static final int PER_PUBLISHER = 400;
    static final int MESSAGES = PUBLISHERS * PER_PUBLISHER;
    /** Published after the others: whatever a subscriber was still due (a duplicate, say) arrives before it. */
    static final int LAST = MESSAGES + 1;
    /** Publishes a publisher sends before it reads their replies. */
    static final int IN_FLIGHT = 8;
    static final int SENTINEL = 9 * 100_000;
    static final String RUN = "topics";
    static final String TOPIC = "feed";

    @Test
    void everySubscriberSeesEveryMessageOnceInOrderAcrossDropsAndResubscribes(@TempDir Path dir) throws Exception {
        ExecutorService publishing = Executors.newFixedThreadPool(PUBLISHERS);
        List<TopicFollower> first = new ArrayList<>();
        TopicFollower[] second = new TopicFollower[SUBSCRIBERS];
        long[] lastSeq = new long[SUBSCRIBERS];
        AtomicLongArray owner = new AtomicLongArray(LAST + 1); // seq -> publisher * 100000 + index, from the publish replies
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch paused = new CountDownLatch(PUBLISHERS);
        CountDownLatch goOn = new CountDownLatch(1);
        HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ServerJar server = FaultServer.start(dir, Map.of()); FollowerLoop loop = new FollowerLoop()) {
            for (int k = 0; k < SUBSCRIBERS; k++) {
                first.add(loop.subscribe(server.port(), RUN, "sub-" + k, TOPIC, "s-" + k, 1));
            }
            awaitOrExplain("every subscriber has its subscribe reply", loop, first, () -> first.stream().allMatch(TopicFollower::subscribed));
            long t0 = System.nanoTime();

            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                publishers.add(publishing.submit(() -> publish(control, server, publisher, owner, acks, paused, goOn)));
            }
            await("a quarter of the messages published").atMost(Duration.ofSeconds(60)).until(() -> {
                for (Future<?> f : publishers) if (f.isDone()) f.get(); // a publisher that failed says why
                return acks.get() >= MESSAGES / 4;
            });
            int acksAtDrop = acks.get();
            for (int k = 0; k < SUBSCRIBERS; k += 4) lastSeq[k] = first.get(k).drop();

            assertThat(paused.await(30, TimeUnit.SECONDS)).as("the publishers reach their pause").isTrue();
            int resubscribed = 0;
            for (int k = 0; k < SUBSCRIBERS; k += 4) {
                if (resubscribed++ == SUBSCRIBERS / 8) {
                    // the first half is subscribed while nothing is published (pure replay); the second half while messages flow
                    await().atMost(Duration.ofSeconds(30)).until(() -> allSubscribed(second));
                    goOn.countDown();
                }
                second[k] = loop.subscribe(server.port(), RUN, "sub-" + k, TOPIC, "s-" + k + "-again", lastSeq[k] + 1);
            }
            int acksAtLastResubscribe = acks.get();
            for (Future<?> f : publishers) f.get(60, TimeUnit.SECONDS);
            long publishedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            try (StampedAgent closing = StampedAgent.connect(control, server, RUN, "closing", false)) {
                closing.send("{\"command\":\"publish\",\"id\":\"last\",\"content\":{\"topic\":\"" + TOPIC + "\",\"payload\":"
                        + TopicFollower.payload(9, 0) + "}}");
                assertThat(closing.nextText()).isEqualTo("{\"command\":\"publish\",\"id\":\"last\",\"content\":{\"topic\":\"" + TOPIC
                        + "\",\"seq\":" + LAST + "}}");
                owner.set(LAST, SENTINEL);
            }

            List<TopicFollower> all = new ArrayList<>(first);
            for (TopicFollower f : second) if (f != null) all.add(f);
            awaitOrExplain("every subscriber has received every message", loop, all, () -> {
                        for (int k = 0; k < SUBSCRIBERS; k++) {
                            int n = second[k] == null ? first.get(k).count() : first.get(k).count() + second[k].count();
                            if (n < LAST) return false;
                        }
                        return true;
                    });

            long deliveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("faults: topic fan-out: %d publishes acknowledged after %d ms, all delivered to every subscriber after %d ms%n",
                    MESSAGES, publishedMs, deliveredMs);
            List<String> wrong = new ArrayList<>();
            for (int k = 0; k < SUBSCRIBERS; k++) {
                List<long[]> seen = first.get(k).seen();
                List<String> problems = new ArrayList<>(first.get(k).problems());
                if (second[k] != null) {
                    assertThat(seen).as("sub-%d's first connection ends at its last seq", k).hasSize((int) lastSeq[k]);
                    seen.addAll(second[k].seen());
                    problems.addAll(second[k].problems());
                }
                assertThat(problems).as("sub-%d", k).isEmpty();
                String w = check(seen, owner, second[k] == null ? 0 : lastSeq[k] + 1);
                if (w != null) wrong.add("sub-" + k + ": " + w + (wrong.isEmpty() ? "; its first frames: " + first.get(k).firstFrames() : ""));
            }
            assertThat(wrong).as("%d of %d subscribers did not see 1..%d exactly once in order", wrong.size(), SUBSCRIBERS, LAST).isEmpty();
            System.out.printf("faults: topic of %d subscribers, %d publishers, %d messages (+1 closing): %d subscribers dropped after %d acks"
                            + " and resubscribed with from_seq = last + 1 (last seq between %d and %d), %d of them while publishing went on"
                            + " (%d acks by the last resubscribe); every one saw %d messages once, in order%n",
                    SUBSCRIBERS, PUBLISHERS, MESSAGES, SUBSCRIBERS / 4, acksAtDrop, min(lastSeq), max(lastSeq), SUBSCRIBERS / 8,
                    acksAtLastResubscribe, LAST);
        } finally {
            publishing.shutdownNow();
        }
    }

    /** Publishes this publisher's 400 messages, a few in flight at a time, pausing once at half way with none in flight. */
    private static Void publish(HttpClient client, ServerJar server, int p, AtomicLongArray owner, AtomicInteger acks,
                                CountDownLatch paused, CountDownLatch goOn) throws Exception {
        try (StampedAgent agent = StampedAgent.connect(client, server, RUN, "publisher-" + p, false)) {
            long[] previous = {0};
            int acked = 0;
            for (int i = 0; i < PER_PUBLISHER; i++) {
                if (i == PER_PUBLISHER / 2) {
                    while (acked < i) acked = ack(agent, p, acked, previous, owner, acks);
                    paused.countDown();
                    if (!goOn.await(60, TimeUnit.SECONDS)) throw new AssertionError("publisher " + p + " was never let go on");
                }
                agent.send("{\"command\":\"publish\",\"id\":\"p" + p + "-" + i + "\",\"content\":{\"topic\":\"" + TOPIC + "\",\"payload\":"
                        + TopicFollower.payload(p, i) + "}}");
                if (i - acked >= IN_FLIGHT) acked = ack(agent, p, acked, previous, owner, acks);
            }
            while (acked < PER_PUBLISHER) acked = ack(agent, p, acked, previous, owner, acks);
        }
        return null;
    }

    /** Reads the reply to publish number {@code i} of publisher {@code p} and records its seq; returns i + 1. */
    private static int ack(StampedAgent agent, int p, int i, long[] previous, AtomicLongArray owner, AtomicInteger acks) throws Exception {
        String reply = agent.nextText();
        String head = "{\"command\":\"publish\",\"id\":\"p" + p + "-" + i + "\",\"content\":{\"topic\":\"" + TOPIC + "\",\"seq\":";
        assertThat(reply).startsWith(head).endsWith("}}");
        long seq = Long.parseLong(reply.substring(head.length(), reply.length() - 2));
        assertThat(seq).as("publisher %d: seqs grow in the order it published", p).isGreaterThan(previous[0]).isLessThanOrEqualTo(MESSAGES);
        assertThat(owner.compareAndSet((int) seq, 0, p * 100_000L + i)).as("seq %d handed out once", seq).isTrue();
        previous[0] = seq;
        acks.incrementAndGet();
        return i + 1;
    }

    /**
     * Null when {@code seen} is seqs 1..LAST, once each, in order, each with the payload published at
     * that seq; else what went wrong first, with the seqs around it.
     */
    private static String check(List<long[]> seen, AtomicLongArray owner, long resubscribedFrom) {
        String where = resubscribedFrom == 0 ? "" : " (resubscribed with from_seq " + resubscribedFrom + ")";
        for (int j = 0; j < seen.size(); j++) {
            long[] m = seen.get(j);
            if (m[0] != j + 1) {
                StringBuilder around = new StringBuilder();
                for (int x = Math.max(0, j - 3); x < Math.min(seen.size(), j + 4); x++) around.append(x == j ? " [" : " ").append(seen.get(x)[0]).append(x == j ? "]" : "");
                return "message " + (j + 1) + " had seq " + m[0] + where + "; seqs around it:" + around + "; " + seen.size() + " messages in all";
            }
            if (m[1] != owner.get(j + 1)) return "the payload at seq " + (j + 1) + " is not the one its publisher was told got that seq" + where;
        }
        return seen.size() == LAST ? null : seen.size() + " messages instead of " + LAST + where;
    }

    /** Awaits the condition; when it does not come, the failure says what the followers saw instead. */
    private static void awaitOrExplain(String what, FollowerLoop loop, List<TopicFollower> followers, Callable<Boolean> condition) {
        try {
            await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (loop.failure() != null) throw new AssertionError("the subscribers' selector loop failed", loop.failure());
                return condition.call();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> problems = new ArrayList<>();
            for (TopicFollower f : followers) problems.addAll(f.problems());
            throw new AssertionError(what + " did not happen within 60 s; " + problems.size() + " problems, the first: "
                    + problems.subList(0, Math.min(5, problems.size())), e);
        }
    }

    private static boolean allSubscribed(TopicFollower[] followers) {
        for (TopicFollower f : followers) if (f != null && !f.subscribed()) return false;
        return true;
    }

    private static long min(long[] values) {
        long m = Long.MAX_VALUE;
        for (int k = 0; k < values.length; k += 4) m = Math.min(m, values[k]);
        return m;
    }

    private static long max(long[] values) {
        long m = 0;
        for (int k = 0; k < values.length; k += 4) m = Math.max(m, values[k]);
        return m;
    }
}
