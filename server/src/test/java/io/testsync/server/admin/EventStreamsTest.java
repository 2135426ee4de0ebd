package io.testsync.server.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page's stream coalesces: many notes of one run make one row, a removed run is named,
 * too many runs at once make one {@code resync}, and nothing is sent when nothing changed. Over a
 * real HTTP connection; the fleet is a stand-in whose changes the test decides, and the test
 * flushes by hand instead of waiting for the timer.
 */
class EventStreamsTest {
    private Vertx vertx;
    private HttpServer server;
    private EventStreams streams;
    private final StubFleet fleet = new StubFleet();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private InputStream body;

    /** Runs whose id starts with "held-" are held; every other id is a removed run. */
    static final class StubFleet implements Fleet {
        Consumer<String> listener;

        @Override public CompletionStage<List<RunSummary>> runs() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override public CompletionStage<List<RunSummary>> runs(Collection<String> ids) {
            List<RunSummary> rows = new ArrayList<>();
            for (String id : ids) if (id.startsWith("held-")) rows.add(new RunSummary(id, 2, 1, 42));
            return CompletableFuture.completedFuture(rows);
        }

        @Override public CompletionStage<Optional<RunDetail>> run(String testId) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override public CompletionStage<Outcome> release(String testId, String checkpoint) {
            return CompletableFuture.completedFuture(Outcome.missing(Missing.RUN));
        }

        @Override public CompletionStage<Outcome> kick(String testId, String connection) {
            return CompletableFuture.completedFuture(Outcome.missing(Missing.RUN));
        }

        @Override public CompletionStage<Outcome> delete(String testId) {
            return CompletableFuture.completedFuture(Outcome.missing(Missing.RUN));
        }

        @Override public void dataChanged(String testId) {
        }

        @Override public AutoCloseable onChange(Consumer<String> listener) {
            this.listener = listener;
            return () -> this.listener = null;
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        streams = new EventStreams(vertx, fleet, TimeUnit.HOURS.toMillis(1), 2);
        server = vertx.createHttpServer().requestHandler(req -> streams.open(req, null))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        body = res.body();
        Thread reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(next()).isEqualTo("event: ready\ndata: {}");
    }

    @AfterEach
    void stop() throws Exception {
        streams.closeAll();
        body.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void flush() {
        vertx.runOnContext(v -> streams.flush());
    }

    private String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no event within 10 s");
        return e;
    }

    @Test
    void notesOfOneRunMakeOneRowAndRemovedRunsAreNamed() throws Exception {
        fleet.listener.accept("held-1");
        fleet.listener.accept("held-1");
        fleet.listener.accept("gone-2");
        flush();
        assertThat(next()).isEqualTo("event: changes\ndata: {\"runs\":[{\"id\":\"held-1\",\"agents\":2,"
                + "\"checkpoints_waiting\":1,\"last_activity_ms\":42}],\"removed\":[\"gone-2\"]}");
    }

    @Test
    void moreRunsThanOneEventCarriesMakeOneResync() throws Exception {
        fleet.listener.accept("held-1");
        fleet.listener.accept("held-2");
        fleet.listener.accept("held-3");
        flush();
        assertThat(next()).isEqualTo("event: resync\ndata: {}");
    }

    @Test
    void nothingChangedSendsNothing() throws Exception {
        flush();
        fleet.listener.accept("gone-9");
        flush();
        // the first flush had nothing to say: the next event is the second one's
        assertThat(next()).isEqualTo("event: changes\ndata: {\"runs\":[],\"removed\":[\"gone-9\"]}");
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (event.length() > 0) events.add(event.toString());
                    event.setLength(0);
                } else if (!line.startsWith(":") && !line.startsWith("retry:")) {
                    if (event.length() > 0) event.append('\n');
                    event.append(line);
                }
            }
        } catch (java.io.IOException closed) {
            // the test closed the stream
        }
    }
}
