package io.testsync.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A polite WebSocket agent on the JDK's client (which answers pings itself): queues every whole
 * message and then the end of the connection, so a test awaits "the next frame", "the next text
 * matching ..." or the close code, each with a timeout that fails the test.
 */
public final class WsClient implements AutoCloseable {
    /** Orders events across clients: every received message and every {@link #mark()} draws from it. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** One JDK client for every connection that brings none: each client costs a selector thread. */
    private static final HttpClient SHARED = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final Duration timeout;
    private volatile Received end; // once the connection ended, every later await gets it at once
    private WebSocket ws;

    private WsClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** Starts a connection to {@code uri} (ws://...), to be given headers, subprotocols, an agent name. */
    public static Builder to(URI uri) {
        return new Builder(uri);
    }

    /** Connects with this {@code Authorization} header value (null: none); fails when the upgrade does. */
    public static WsClient connect(URI uri, String authorization) throws Exception {
        return to(uri).authorization(authorization).connect();
    }

    /** A number from the sequence of {@link Received#seq()}: "now", to compare arrivals with. */
    public static long mark() {
        return SEQUENCE.incrementAndGet();
    }

    /** Sends one text message and waits until it is written. */
    public WsClient send(String text) throws Exception {
        ws.sendText(text, true).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Sends one binary message and waits until it is written. */
    public WsClient sendBinary(byte[] bytes) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** The JDK socket, for what this class does not wrap (sending without waiting, fragments). */
    public WebSocket webSocket() {
        return ws;
    }

    /** The subprotocol the server chose; empty when none. */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    /** The next thing received within {@code wait}; null when nothing came. After the end, the end again. */
    public Received poll(Duration wait) throws InterruptedException {
        Received r = queue.poll();
        if (r == null && end != null) return end;
        if (r == null) r = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        return r;
    }

    /** The next thing received; fails the test when nothing comes within the client's timeout. */
    public Received next() throws InterruptedException {
        Received r = poll(timeout);
        if (r == null) throw new AssertionError("nothing received within " + timeout);
        return r;
    }

    /** The next message, which must be text. */
    public String nextText() throws InterruptedException {
        Received r = next();
        if (r instanceof Received.Text t) return t.text();
        throw new AssertionError("expected a text frame, got " + r.describe());
    }

    /** The next message, which must be binary. */
    public byte[] nextBinary() throws InterruptedException {
        Received r = next();
        if (r instanceof Received.Binary b) return b.bytes();
        throw new AssertionError("expected a binary frame, got " + r.describe());
    }

    /** Skips messages until a text that {@code matching} accepts; fails on the end or when none comes within the timeout. */
    public String awaitText(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            Received r = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (r instanceof Received.Text t && matching.test(t.text())) return t.text();
            if (r == null || r.isEnd()) {
                throw new AssertionError("no matching text frame within " + timeout + "; got "
                        + (r == null ? "nothing more" : r.describe()) + " after skipping " + skipped);
            }
            skipped.add(r.describe());
        }
    }

    /** Skips messages until a text that {@code regex} matches in full. */
    public String awaitText(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.DOTALL);
        return awaitText(text -> p.matcher(text).matches());
    }

    /** The code of the server's close frame, waiting up to the timeout; fails when the connection broke instead. */
    public int awaitClose() throws Exception {
        return closeCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Completes with the close code, or exceptionally when the connection broke. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** How the connection ended ({@link Received.Closed} or {@link Received.Broken}); null while it is open. */
    public Received end() {
        return end;
    }

    /** Messages received and not yet taken (the end of the connection is not one). */
    public List<Received> pending() {
        List<Received> messages = new ArrayList<>(queue);
        messages.removeIf(Received::isEnd);
        return messages;
    }

    /** Pings received (and answered) so far. */
    public int pings() {
        return pings.get();
    }

    /** Drops the connection without a close handshake, as a crashing agent does. */
    public void abort() {
        if (ws != null) ws.abort();
    }

    /** Says goodbye with 1000 (when it still can) and drops the connection. */
    @Override
    public void close() {
        if (ws == null) return;
        if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        ws.abort();
    }

    private void arrived(Received r) {
        if (r.isEnd()) end = r;
        queue.add(r);
    }

    /** How to connect: the URI, headers, subprotocols, the agent name, the client and timeouts. */
    public static final class Builder {
        private URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> subprotocols = new ArrayList<>();
        private HttpClient client;
        private Duration timeout = Duration.ofSeconds(20);
        private Duration connectTimeout;

        private Builder(URI uri) {
            this.uri = uri;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The {@code Authorization} header; null sends none. */
        public Builder authorization(String value) {
            if (value != null) headers.put("Authorization", value);
            return this;
        }

        /** Offers these in {@code Sec-WebSocket-Protocol}, most preferred first (e.g. {@code testsync.v1}). */
        public Builder subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        /** Adds {@code agent=<name>} to the query, URL-encoded, after any query already there. */
        public Builder agent(String name) {
            String s = uri.toString();
            uri = URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + "agent=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
            return this;
        }

        /** The JDK client to connect with; one shared by all clients by default. */
        public Builder client(HttpClient client) {
            this.client = client;
            return this;
        }

        /** How long awaits wait (next, awaitText, awaitClose, send) before they fail the test; 20 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How long the opening handshake may take; the await timeout by default. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The handshake in flight: completes with the client, or exceptionally (a refusal is a WebSocketHandshakeException). */
        public CompletableFuture<WsClient> connectAsync() {
            WsClient c = new WsClient(timeout);
            HttpClient http = client != null ? client : SHARED;
            WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(connectTimeout != null ? connectTimeout : timeout);
            headers.forEach(b::header);
            if (!subprotocols.isEmpty()) {
                b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
            }
            return b.buildAsync(uri, c.new Listener()).thenApply(ws -> {
                c.ws = ws;
                return c;
            });
        }

        /** Connects and waits for the handshake; rethrows why it failed (a refusal is a WebSocketHandshakeException). */
        public WsClient connect() throws Exception {
            Duration wait = connectTimeout != null ? connectTimeout : timeout;
            try {
                return connectAsync().get(wait.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) throw cause;
                throw e;
            } catch (TimeoutException e) {
                throw new AssertionError("the upgrade of " + uri + " did not complete within " + wait);
            }
        }
    }

    /** Reassembles fragments into messages and records the end; private so the client's surface stays the methods above. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder textPart = new StringBuilder();
        private final ByteArrayOutputStream binaryPart = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            textPart.append(data);
            if (last) {
                arrived(new Received.Text(textPart.toString(), SEQUENCE.incrementAndGet(), System.nanoTime()));
                textPart.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binaryPart.writeBytes(chunk);
            if (last) {
                arrived(new Received.Binary(binaryPart.toByteArray(), SEQUENCE.incrementAndGet(), System.nanoTime()));
                binaryPart.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            return WebSocket.Listener.super.onPing(webSocket, message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            // returning null lets the JDK client answer the close at once, completing the handshake
            arrived(new Received.Closed(statusCode, reason, SEQUENCE.incrementAndGet(), System.nanoTime()));
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            arrived(new Received.Broken(error, SEQUENCE.incrementAndGet(), System.nanoTime()));
            closeCode.completeExceptionally(error);
        }
    }
}
