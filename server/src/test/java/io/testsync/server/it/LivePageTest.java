package io.testsync.server.it;

import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The live page's files from the jar and its event stream (SPEC §10), over real HTTP. */
class LivePageTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void thePageIsServedFromTheJarAndMayLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> index = h.get("/ui/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self';");
        assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\"></script>").doesNotContain("http://", "https://");
        HttpResponse<String> js = h.get("/ui/app.js");
        assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("new EventSource('/api/v1/events')");
        // served as written: Maven's resource filtering would turn template literals into project properties
        assertThat(js.body()).contains("of run ${id}?");
        assertThat(h.get("/ui/style.css").headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        HttpResponse<String> bare = h.sendText(h.request("/ui").GET().build());
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).contains("/ui/");
        HttpResponse<String> missing = h.get("/ui/../tests/x");
        assertThat(missing.statusCode()).isIn(400, 404);
        assertThat(h.get("/ui/nothing.js").statusCode()).isEqualTo(404);
        assertThat(h.sendText(h.request("/ui/").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(405);
    }

    @Test
    void theStreamSaysReadyThenPushesTheChangedRun() throws Exception {
        HttpResponse<InputStream> res = h.http.send(h.request("/api/v1/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(res.body(), events), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("event: ready\ndata: {}");
        String id = "live-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsClient a = h.agent(id)) {
            String event = nextMentioning(events, id);
            assertThat(event).startsWith("event: changes\ndata: {\"runs\":[");
            assertThat(event).contains("{\"id\":\"" + id + "\",\"agents\":1,\"checkpoints_waiting\":0,\"last_activity_ms\":");
        }
        // the last agent leaves: the run is no longer held and the stream says it is gone
        String gone = nextMentioning(events, id);
        assertThat(gone).endsWith("\"removed\":[\"" + id + "\"]}");
        res.body().close();
    }

    @Test
    void openStreamsEndWhenTheServerStops() throws Exception {
        Harness own = Harness.start();
        HttpResponse<InputStream> res = own.http.send(own.request("/api/v1/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(res.body(), events), "sse-reader");
        reader.start();
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("event: ready\ndata: {}");
        own.close();
        // the server ended the stream itself: the reader sees the end of the body
        reader.join(TimeUnit.SECONDS.toMillis(15));
        assertThat(reader.isAlive()).isFalse();
    }

    static String nextMentioning(BlockingQueue<String> events, String id) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            String e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.contains(id)) return e;
        }
        throw new AssertionError("no event about " + id + " within 10 s");
    }

    /** One string per event: its lines without the blank line that ends it. */
    static void readEvents(InputStream in, BlockingQueue<String> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (event.length() > 0) out.add(event.toString());
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
