package io.testsync.faults;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subscription to a topic on its own connection (held by a {@link FollowerLoop}), checked as
 * frames arrive and kept small (two numbers per message), so hundreds of them fit in the test's
 * JVM: the subscribe's reply must come first, then only {@code message} frames of exactly the
 * published shape. What arrives after {@link #drop()} is not counted: the connection is gone as far
 * as the test is concerned.
 */
final class TopicFollower {
    /** A payload as the publishers write it; the space is there so only an exact copy matches. */
    static String payload(int publisher, int index) {
        return "{\"p\":" + publisher + ", \"i\":" + index + "}";
    }

    private final String subscribeId;
    private final Pattern message;
    private final String reply;
    private final StringBuilder part = new StringBuilder();
    private final List<long[]> seen = new ArrayList<>(); // {seq, publisher * 100000 + index}
    private final List<String> problems = new ArrayList<>();
    /** The first frames as they came, for a failure message. */
    private final List<String> firstFrames = new ArrayList<>();
    private boolean subscribed;
    private boolean dropped;
    /** Set by the loop once connected. */
    SocketChannel channel;

    TopicFollower(String topic, String subscribeId) {
        this.subscribeId = subscribeId;
        this.reply = "{\"command\":\"subscribe\",\"id\":\"" + subscribeId + "\",\"content\":{\"topic\":\"" + topic + "\",\"subscribed\":true}}";
        this.message = Pattern.compile("\\{\"command\":\"message\",\"id\":\"" + Pattern.quote(subscribeId) + "\",\"content\":\\{\"topic\":\""
                + Pattern.quote(topic) + "\",\"seq\":(\\d+),\"payload\":\\{\"p\":(\\d+), \"i\":(\\d+)},\"published_at_ms\":\\d+}}");
    }

    /** A whole text message from the server. */
    synchronized void take(String text) {
        if (dropped) return;
        if (firstFrames.size() < 4) firstFrames.add(text);
        if (!subscribed) {
            if (text.equals(reply)) subscribed = true;
            else problems.add(subscribeId + ": expected the subscribe reply first, got " + text);
            return;
        }
        Matcher m = message.matcher(text);
        if (!m.matches()) {
            problems.add(subscribeId + ": not a message frame of the published shape: " + text);
            return;
        }
        seen.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 100_000 + Long.parseLong(m.group(3))});
    }

    synchronized void binary() {
        if (!dropped) problems.add(subscribeId + ": unexpected binary frame");
    }

    /** The connection ended without the test dropping it. */
    synchronized void ended(String how) {
        if (!dropped) problems.add(subscribeId + ": " + how);
    }

    /** Resets the connection (no close frame); returns the last seq it had received (0 for none). */
    long drop() throws IOException {
        synchronized (this) {
            dropped = true;
        }
        reset();
        synchronized (this) {
            return seen.isEmpty() ? 0 : seen.get(seen.size() - 1)[0];
        }
    }

    private void reset() throws IOException {
        if (channel.isOpen()) channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    synchronized int count() {
        return seen.size();
    }

    /** What arrived, in arrival order: {seq, publisher * 100000 + index}. */
    synchronized List<long[]> seen() {
        return new ArrayList<>(seen);
    }

    synchronized List<String> problems() {
        return new ArrayList<>(problems);
    }

    synchronized List<String> firstFrames() {
        return new ArrayList<>(firstFrames);
    }

    synchronized boolean subscribed() {
        return subscribed;
    }

    void close() throws IOException {
        synchronized (this) {
            dropped = true;
        }
        reset();
    }
}
