package io.testsync.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One agent's connection to a TestSync run, speaking protocol {@code testsync.v1}: shared data,
 * checkpoints that return at the common start instant, and the coordination toolkit (entry order,
 * counters, topics, locks). Every blocking method has an {@code ...Async} twin; those futures never
 * complete on the thread that reads the socket. Safe for use by several threads at once.
 *
 * <p>When the connection ends, every pending call fails at once with a {@link ConnectionLostException}
 * and so does every later call; the client does not reconnect by itself: {@link #reconnect()}.
 */
public final class TestSyncClient implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final Options options;
    private volatile Connection connection;

    private TestSyncClient(URI endpoint, Options options, Connection connection) {
        this.endpoint = endpoint;
        this.options = options;
        this.connection = connection;
    }

    /**
     * Connects to the server at {@code server} (its base URI, e.g. {@code ws://localhost:9105}) as an
     * agent of run {@code runId}, and returns once the server's welcome has arrived.
     *
     * @throws TestSyncException {@code connect_failed} (a refused upgrade has its {@link TestSyncException#httpStatus()})
     *                           or {@code protocol_error} (the server does not speak {@code testsync.v1})
     */
    public static TestSyncClient connect(URI server, String runId, Options options) {
        return Await.result(connectAsync(server, runId, options));
    }

    /** {@link #connect} without blocking. Bad arguments throw at once. */
    public static CompletableFuture<TestSyncClient> connectAsync(URI server, String runId, Options options) {
        Objects.requireNonNull(options, "options must not be null: Options.credentials(user, pass) or Options.none()");
        URI endpoint = Endpoints.register(server, runId, options.agent());
        return Connection.open(endpoint, options)
                .thenApplyAsync(c -> new TestSyncClient(endpoint, options, c), Threads.callbacks());
    }

    /** The welcome of the current connection: this agent's name, its connection id, the server's limits. */
    public Welcome welcome() {
        return connection.welcome();
    }

    /** True until the connection ends (close, server gone, network). */
    public boolean isConnected() {
        return connection.endedBy() == null;
    }

    /**
     * Replaces the run's data with {@code json} (one JSON value, stored byte for byte) and returns
     * once the server acknowledged the write (durable on sqlite/redis storage).
     */
    public void setData(String json) {
        Await.result(setDataAsync(json));
    }

    public CompletableFuture<Void> setDataAsync(String json) {
        Inbound.requireJson(json, "data");
        Connection c = connection;
        long id = c.nextId();
        return deliver(c.request("update_data", id, Outbound.updateData(id, json)), in -> {
            Replies.confirm(in.content(), "stored");
            return null;
        });
    }

    /** The run's data as JSON text exactly as stored, or null when the run has none. */
    public String data() {
        return Await.result(dataAsync());
    }

    public CompletableFuture<String> dataAsync() {
        return simple("read_data", null, in -> Replies.dataText(in.content()));
    }

    /** The run's data as the stored bytes (also data written over HTTP that is not JSON), or null when none. */
    public byte[] dataBytes() {
        return Await.result(dataBytesAsync());
    }

    public CompletableFuture<byte[]> dataBytesAsync() {
        return simple("read_data", null, in -> Replies.dataBytes(in.content()));
    }

    /** Live connections of this run, this one included. */
    public int connectionCount() {
        return Await.result(connectionCountAsync());
    }

    public CompletableFuture<Integer> connectionCountAsync() {
        return simple("get_connection_count", null, in -> (int) in.content().number("count"));
    }

    /** {@link #checkpoint(String, int, Duration, boolean)} without {@code fail_on_leave}. */
    public Release checkpoint(String identifier, int target, Duration timeout) {
        return checkpoint(identifier, target, timeout, false);
    }

    /** {@link #checkpoint(String, int, Duration)} with the server's {@code checkpoint.default_timeout_ms}. */
    public Release checkpoint(String identifier, int target) {
        return checkpoint(identifier, target, null, false);
    }

    /**
     * Joins checkpoint {@code identifier} of this run and returns at the common start instant: when
     * the release arrives, it waits out {@code start_in_ms} (counted from arrival, immune to clock
     * differences), so every member returns at the same moment.
     *
     * @param target      how many agents must join (fixed by the first join)
     * @param timeout     how long to wait for them, from the first join; {@link Duration#ZERO} waits
     *                    forever; null takes the server's default
     * @param failOnLeave when true (fixed by the first join), a member that disconnects fails the
     *                    checkpoint for all at once ({@code participant_lost}) instead of just no longer counting
     * @throws CheckpointFailedException when released with {@code finished:false}, at once
     */
    public Release checkpoint(String identifier, int target, Duration timeout, boolean failOnLeave) {
        Release r = Await.result(releaseOf(identifier, target, timeout, failOnLeave));
        if (!Threads.sleepUntil(r.resumeAtNanos())) throw Await.interrupted();
        return r;
    }

    public CompletableFuture<Release> checkpointAsync(String identifier, int target, Duration timeout) {
        return checkpointAsync(identifier, target, timeout, false);
    }

    /** {@link #checkpoint(String, int, Duration, boolean)} without blocking: completes at the common start instant. */
    public CompletableFuture<Release> checkpointAsync(String identifier, int target, Duration timeout, boolean failOnLeave) {
        CompletableFuture<Release> resumed = new CompletableFuture<>();
        releaseOf(identifier, target, timeout, failOnLeave).whenComplete((r, e) -> {
            if (e == null) Threads.completeAt(resumed, r.resumeAtNanos(), r);
            else Threads.callbacks().execute(() -> resumed.completeExceptionally(Await.unwrap(e)));
        });
        return resumed;
    }

    /** The release as it arrives (on the reading thread), failed for {@code finished:false}. */
    private CompletableFuture<Release> releaseOf(String identifier, int target, Duration timeout, boolean failOnLeave) {
        Await.name(identifier, "checkpoint identifier");
        if (target < 1) throw new IllegalArgumentException("target must be at least 1, got " + target);
        Long ms = Await.millis(timeout, "checkpoint timeout");
        Connection c = connection;
        long id = c.nextId();
        // the server decides the timeout; the client's guard only catches a server that never answers
        Duration guard = ms == null || ms == 0 ? null : Duration.ofMillis(ms).plus(c.requestTimeout());
        String frame = Outbound.frame("wait_checkpoint", id, Outbound.checkpoint(identifier, target, ms, failOnLeave));
        return c.call("wait_checkpoint", id, frame, guard).thenApply(in -> {
            Release r = Replies.release(in);
            if (!r.finished()) throw new CheckpointFailedException(r);
            return r;
        });
    }

    /** This agent's place in the order of entries to {@code state}: 1 for the first agent, 2 for the next… */
    public long signalEntry(String state) {
        return Await.result(signalEntryAsync(state));
    }

    public CompletableFuture<Long> signalEntryAsync(String state) {
        Await.name(state, "state");
        return simple("signal_entry", Outbound.name("state", state), in -> in.content().number("seq"));
    }

    /** Adds {@code add} (may be negative; 0 reads) to the run's counter {@code name} atomically; returns the value after. */
    public long counter(String name, long add) {
        return Await.result(counterAsync(name, add));
    }

    /** The counter's current value (0 when it was never touched). */
    public long counter(String name) {
        return counter(name, 0);
    }

    public CompletableFuture<Long> counterAsync(String name, long add) {
        Await.name(name, "counter name");
        return simple("counter", Outbound.counter(name, add), in -> in.content().number("value"));
    }

    /** Publishes {@code payloadJson} (one JSON value) to {@code topic}; returns its seq (1, 2, 3… per topic). */
    public long publish(String topic, String payloadJson) {
        return Await.result(publishAsync(topic, payloadJson));
    }

    public CompletableFuture<Long> publishAsync(String topic, String payloadJson) {
        Await.name(topic, "topic");
        Inbound.requireJson(payloadJson, "payload");
        return simple("publish", Outbound.publish(topic, payloadJson), in -> in.content().number("seq"));
    }

    /**
     * Follows {@code topic}: {@code handler} gets every message with seq ≥ {@code fromSeq}, those
     * already published first, then live ones, in order. Returns once the server confirmed.
     */
    public Subscription subscribe(String topic, long fromSeq, Consumer<Message> handler) {
        return Await.result(subscribeAsync(topic, fromSeq, handler));
    }

    /** {@link #subscribe(String, long, Consumer)} from the first message. */
    public Subscription subscribe(String topic, Consumer<Message> handler) {
        return subscribe(topic, 1, handler);
    }

    public CompletableFuture<Subscription> subscribeAsync(String topic, long fromSeq, Consumer<Message> handler) {
        Await.name(topic, "topic");
        Objects.requireNonNull(handler, "handler must not be null");
        if (fromSeq < 1) throw new IllegalArgumentException("fromSeq must be at least 1, got " + fromSeq);
        Connection c = connection;
        long id = c.nextId();
        Subscription s = new Subscription(c, id, topic, handler);
        c.track(id, s); // before sending: the replay may follow the confirmation at once
        return deliver(c.request("subscribe", id, Outbound.frame("subscribe", id, Outbound.subscribe(topic, fromSeq)))
                .whenComplete((in, e) -> {
                    if (e != null) c.untrack(id);
                }), in -> {
            Replies.confirm(in.content(), "subscribed");
            return s;
        });
    }

    /**
     * Takes the run's lock {@code name}, waiting in line (first asked, first granted) up to
     * {@code timeout} ({@link Duration#ZERO}: forever; null: the server's default).
     *
     * @throws TestSyncException {@code lock_timeout} when not granted in time
     */
    public Lock lock(String name, Duration timeout) {
        return Await.result(lockAsync(name, timeout));
    }

    public CompletableFuture<Lock> lockAsync(String name, Duration timeout) {
        Await.name(name, "lock name");
        Long ms = Await.millis(timeout, "lock timeout");
        Connection c = connection;
        long id = c.nextId();
        Duration guard = ms == null || ms == 0 ? null : Duration.ofMillis(ms).plus(c.requestTimeout());
        return deliver(c.call("lock", id, Outbound.frame("lock", id, Outbound.lock(name, ms)), guard), in -> {
            if (!in.content().bool("acquired")) {
                throw new TestSyncException(TestSyncException.LOCK_TIMEOUT, "lock", "lock \"" + name + "\" was not granted within "
                        + ms + " ms (reason: " + in.content().textOr("reason", "timeout") + ")");
            }
            return new Lock(c, name, in.content().number("fence"));
        });
    }

    /**
     * Closes the current connection (if still open; its pending waits fail with {@code closed}) and
     * opens a new one to the same run with the same options. Subscriptions and locks of the old
     * connection are gone (the server ended them); checkpoints must be joined again.
     */
    public synchronized void reconnect() {
        connection.close(CLOSE_WAIT);
        connection = Await.result(Connection.open(endpoint, options));
    }

    /** Closes gracefully: replies still due arrive first; waits still pending fail with {@code closed}. Idempotent. */
    @Override
    public synchronized void close() {
        connection.close(CLOSE_WAIT);
    }

    @Override
    public String toString() {
        Welcome w = connection.welcome();
        return "TestSyncClient[" + endpoint + (w == null ? "" : ", agent " + w.agent() + ", connection " + w.connection())
                + (isConnected() ? "" : ", closed") + "]";
    }

    private <T> CompletableFuture<T> simple(String command, Outbound.Content content, Function<Inbound, T> read) {
        Connection c = connection;
        long id = c.nextId();
        return deliver(c.request(command, id, Outbound.frame(command, id, content)), read);
    }

    /** Maps a reply on the callback pool, so that user code never runs on (or blocks) the reading thread. */
    private static <T> CompletableFuture<T> deliver(CompletableFuture<Inbound> reply, Function<Inbound, T> read) {
        return reply.thenApplyAsync(read, Threads.callbacks());
    }
}
