package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.load.Await;
import io.testsync.bench.load.Lanes;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * N subscribers of one topic and one publisher, connected to one target (the server or the
 * fan-out floor), and the driver that plays publishes with them, one at a time. Each subscriber
 * notes its message's arrival first thing in its handler, on its own lane.
 */
final class FanoutFleet implements AutoCloseable {
    static final String TOPIC = "fanout";
    /** Past any fan-out: by then the message is lost, not late. */
    private static final long WAIT_SECONDS = 40;
    private static final int IN_FLIGHT = 128;

    private final Lanes lanes;
    private final AtomicInteger pending;
    private final CompletableFuture<Void> allSubscribed = new CompletableFuture<>();
    private final AtomicReference<String> stray = new AtomicReference<>();
    /** The publish in flight, or null between publishes; written by the main thread, read by every lane. */
    private volatile FanoutRound current;
    private List<WebSocket> subscribers = List.of();
    private List<WebSocket> publisher = List.of();

    private FanoutFleet(Lanes lanes, int n) {
        this.lanes = lanes;
        this.pending = new AtomicInteger(n);
    }

    /**
     * Connects {@code n} subscribers and a publisher to {@code path}; {@code answer} tells the
     * publisher's right answer to publish k. With {@code subscribe}, each subscriber subscribes to
     * the topic and its answer is awaited (the floor needs no subscription: connecting is joining).
     */
    static FanoutFleet connect(Env env, WsConnector connector, Launched target, int n, String path,
                               boolean subscribe, BiPredicate<Long, String> answer) {
        FanoutFleet fleet = new FanoutFleet(env.lanes(), n);
        try {
            fleet.subscribers = connector.connect(target.endpoint(), n, i -> path, IN_FLIGHT,
                    (i, ws) -> ws.textMessageHandler(text -> fleet.onSubscriberText(i, text, System.nanoTime())), 120);
            fleet.publisher = connector.connect(target.endpoint(), 1, i -> path, 1,
                    (i, ws) -> ws.textMessageHandler(fleet.publisherHandler(answer)), 60);
            if (subscribe) fleet.subscribeAll();
            else fleet.allSubscribed.complete(null);
            Await.on(fleet.allSubscribed, 60, TimeUnit.SECONDS, () -> fleet.pending.get() + " of " + n + " subscriptions to "
                    + TOPIC + " not answered" + (fleet.stray.get() == null ? "" : "; unexpected frame: " + fleet.stray.get()));
            fleet.requireNoStray();
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** On the subscriber's lane; {@code now} is taken first, so the arrival does not include these checks. */
    private void onSubscriberText(int index, String text, long now) {
        FanoutRound r = current;
        if (r != null) {
            r.received(index, text, now);
        } else if (text.equals(subscribed(index))) {
            if (pending.decrementAndGet() == 0) allSubscribed.complete(null);
        } else {
            stray.compareAndSet(null, "subscriber " + index + " got " + text);
        }
    }

    private io.vertx.core.Handler<String> publisherHandler(BiPredicate<Long, String> answer) {
        return text -> {
            FanoutRound r = current;
            if (r != null) r.answered(answer.test(r.round(), text), text);
            else stray.compareAndSet(null, "the publisher got " + text);
        };
    }

    static String subscribeFrame(int index) {
        return "{\"command\":\"subscribe\",\"id\":" + index + ",\"content\":{\"topic\":\"" + TOPIC + "\"}}";
    }

    static String subscribed(int index) {
        return "{\"command\":\"subscribe\",\"id\":" + index + ",\"content\":{\"topic\":\"" + TOPIC + "\",\"subscribed\":true}}";
    }

    static String publishFrame(long round) {
        return "{\"command\":\"publish\",\"id\":" + round + ",\"content\":{\"topic\":\"" + TOPIC + "\",\"payload\":"
                + FanoutRound.payload(round) + "}}";
    }

    /** TestSync's answer to publish {@code round} of a fresh topic: its seq is the round's number. */
    static String published(long round) {
        return "{\"command\":\"publish\",\"id\":" + round + ",\"content\":{\"topic\":\"" + TOPIC + "\",\"seq\":" + round + "}}";
    }

    private void subscribeAll() {
        for (int i = 0; i < subscribers.size(); i++) {
            int index = i;
            WebSocket ws = subscribers.get(i);
            lanes.get(lanes.laneOf(i)).runOnContext(v -> ws.writeTextMessage(subscribeFrame(index)));
        }
    }

    /** Publishes round {@code k} from the publisher's lane and waits until every subscriber has it. */
    FanoutRound play(long k) {
        FanoutRound round = new FanoutRound(k, subscribers.size());
        current = round;
        WebSocket pub = publisher.get(0);
        lanes.get(lanes.laneOf(0)).runOnContext(v -> {
            round.sentAt = System.nanoTime();
            pub.writeTextMessage(publishFrame(k));
        });
        Await.on(round.done(), WAIT_SECONDS, TimeUnit.SECONDS, () -> "publish " + k + " to " + subscribers.size()
                + " subscribers (" + round.missing() + " frames missing)");
        current = null;
        if (round.problem() != null) throw new IllegalStateException("publish " + k + ": " + round.problem());
        requireNoStray();
        return round;
    }

    private void requireNoStray() {
        if (stray.get() != null) throw new IllegalStateException("unexpected frame outside a publish: " + stray.get());
    }

    @Override
    public void close() {
        List<WebSocket> all = new ArrayList<>(subscribers);
        all.addAll(publisher);
        WsConnector.closeAll(all);
    }
}
