package io.testsync.client;

import io.testsync.server.TestSyncServer;
import io.testsync.server.config.Config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server in this JVM on a free loopback port, with credentials and memory storage, and the
 * clients a test connects to it; closing the fixture closes them and stops the server.
 */
final class ServerFixture implements AutoCloseable {
    static final String USER = "agent";
    static final String PASS = "s3cret";
    private static final AtomicInteger runs = new AtomicInteger();

    final TestSyncServer server;
    private final List<TestSyncClient> clients = new ArrayList<>();

    private ServerFixture(TestSyncServer server) {
        this.server = server;
    }

    static ServerFixture start() throws Exception {
        return start(500);
    }

    /** With {@code releaseLeadMs} as the server's {@code checkpoint.release_lead_ms}. */
    static ServerFixture start(long releaseLeadMs) throws Exception {
        Config d = Config.defaults();
        Config config = new Config(0, 0, "127.0.0.1", d.logLevel(), d.logDir(), new Config.Credentials(USER, PASS), d.storage(),
                new Config.Checkpoint(releaseLeadMs, d.checkpoint().defaultTimeoutMs()), d.corsAllowedOrigins(), d.limits(), d.retention(), d.toolkit());
        return new ServerFixture(TestSyncServer.start(config));
    }

    /** A fresh run ID, so tests sharing a server never share a run. */
    static String newRun() {
        return "run-" + runs.incrementAndGet() + "-" + System.nanoTime();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.wsPort());
    }

    Options options(String agent) {
        return Options.credentials(USER, PASS).agent(agent);
    }

    /** A connected client, closed with the fixture. */
    TestSyncClient connect(String run, String agent) {
        TestSyncClient c = TestSyncClient.connect(uri(), run, options(agent));
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Registers a client made elsewhere, so it is closed with the fixture. */
    TestSyncClient own(TestSyncClient c) {
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    HttpResponse<String> httpPut(String run, String body, String contentType) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/tests/" + run))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", Endpoints.basic(USER, PASS)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        List<TestSyncClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
        }
        all.forEach(TestSyncClient::close);
        server.stop();
    }
}
