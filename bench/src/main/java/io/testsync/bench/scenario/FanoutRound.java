package io.testsync.bench.scenario;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One publish of the fan-out scenario: the moment it was sent, when each subscriber's message
 * arrived, and whether the publisher's answer came. Each arrival slot is written by its
 * subscriber's lane only; the main thread reads them once the counter of awaited frames is zero.
 */
final class FanoutRound {
    private final long round;
    private final String marker;
    private final long[] arrivedAt;
    /** Every subscriber's message plus the publisher's answer. */
    private final AtomicInteger awaited;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicReference<String> unexpected = new AtomicReference<>();
    long sentAt;

    FanoutRound(long round, int subscribers) {
        this.round = round;
        this.marker = marker(round);
        this.arrivedAt = new long[subscribers];
        this.awaited = new AtomicInteger(subscribers + 1);
    }

    /** The payload of publish {@code round}: a JSON string of 64 bytes that names its round. */
    static String payload(long round) {
        String head = "\"p" + round + "-";
        return head + "x".repeat(64 - head.length() - 1) + "\"";
    }

    /** What only the message of this round contains: its payload's start, verbatim. */
    static String marker(long round) {
        return "\"payload\":\"p" + round + "-";
    }

    /** True when {@code text} is a message frame of this round. */
    boolean isMessage(String text) {
        return text.startsWith("{\"command\":\"message\",") && text.contains(marker);
    }

    /** Subscriber {@code index} received {@code text} at {@code now}; anything but its one message spoils the round. */
    void received(int index, String text, long now) {
        if (!isMessage(text)) {
            unexpected("subscriber " + index + " got " + text);
        } else if (arrivedAt[index] != 0) {
            unexpected("subscriber " + index + " got the message twice: " + text);
        } else {
            arrivedAt[index] = now;
            heard();
        }
    }

    /** The publisher's answer arrived; {@code right} says whether it was the expected one. */
    void answered(boolean right, String text) {
        if (right) heard();
        else unexpected("the publisher got " + text);
    }

    void unexpected(String what) {
        if (unexpected.compareAndSet(null, what)) done.complete(null);
    }

    private void heard() {
        if (awaited.decrementAndGet() == 0) done.complete(null);
    }

    long round() {
        return round;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    int missing() {
        return awaited.get();
    }

    /** Null when every subscriber got its message once and the publisher its answer. */
    String problem() {
        return unexpected.get();
    }

    long[] arrivals() {
        return arrivedAt;
    }
}
