package io.testsync.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subscription to a topic on its own connection, checked as frames arrive and kept small (two
 * ints per message), so hundreds of them fit in the test's JVM: the subscribe's reply must come
 * first, then only {@code message} frames of exactly the published shape. What arrives after
 * {@link #drop()} is not counted: the connection is gone as far as the test is concerned.
 */
final class TopicFollower implements WebSocket.Listener {
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
    private WebSocket ws;

    private TopicFollower(String topic, String subscribeId) {
        this.subscribeId = subscribeId;
        this.reply = "{\"command\":\"subscribe\",\"id\":\"" + subscribeId + "\",\"content\":{\"topic\":\"" + topic + "\",\"subscribed\":true}}";
        this.message = Pattern.compile("\\{\"command\":\"message\",\"id\":\"" + Pattern.quote(subscribeId) + "\",\"content\":\\{\"topic\":\""
                + Pattern.quote(topic) + "\",\"seq\":(\\d+),\"payload\":\\{\"p\":(\\d+), \"i\":(\\d+)},\"published_at_ms\":\\d+}}");
    }

    /** Connects and subscribes from {@code fromSeq}; the reply and the messages are checked as they come. */
    static TopicFollower subscribe(HttpClient client, URI uri, String topic, String subscribeId, long fromSeq) throws Exception {
        TopicFollower f = new TopicFollower(topic, subscribeId);
        f.ws = client.newWebSocketBuilder().header("Authorization", ServerJar.AUTHORIZATION).buildAsync(uri, f).get(20, TimeUnit.SECONDS);
        f.ws.sendText("{\"command\":\"subscribe\",\"id\":\"" + subscribeId + "\",\"content\":{\"topic\":\"" + topic
                + "\",\"from_seq\":" + fromSeq + "}}", true).get(20, TimeUnit.SECONDS);
        return f;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
            take(part.toString());
            part.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void take(String text) {
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

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            if (!dropped) problems.add(subscribeId + ": unexpected binary frame");
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public synchronized CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!dropped) problems.add(subscribeId + ": the server closed the connection with " + statusCode + " " + reason);
        return null;
    }

    @Override
    public synchronized void onError(WebSocket webSocket, Throwable error) {
        if (!dropped) problems.add(subscribeId + ": the connection failed: " + error);
    }

    /** Drops the connection without a close frame; returns the last seq it had received (0 for none). */
    long drop() {
        synchronized (this) {
            dropped = true;
        }
        ws.abort();
        synchronized (this) {
            return seen.isEmpty() ? 0 : seen.get(seen.size() - 1)[0];
        }
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

    void close() {
        synchronized (this) {
            dropped = true;
        }
        ws.abort();
    }
}
