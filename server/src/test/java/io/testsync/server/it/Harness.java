package io.testsync.server.it;

import io.testsync.server.TestSyncServer;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.Credentials;
import io.testsync.testkit.WsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The real server on free ports, and real clients for it: one line to start, one to talk. Every
 * integration test goes through this.
 */
final class Harness implements AutoCloseable {
    static final String USER = "agent";
    static final String PASS = "s3cret";

    final TestSyncServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Harness(TestSyncServer server) {
        this.server = server;
    }

    /** A server on one free port, with credentials, memory storage. */
    static Harness start() throws Exception {
        return start(config());
    }

    static Harness start(Config config) throws Exception {
        return start(config, Tuning.SPEC);
    }

    static Harness start(Config config, Tuning tuning) throws Exception {
        return new Harness(TestSyncServer.start(config, tuning));
    }

    /** The defaults, on port 0 (one listener), with the test credentials. */
    static Config config() {
        return Config.defaults().withPorts(0, 0).withCredentials(new Config.Credentials(USER, PASS));
    }

    static String basic(String user, String pass) {
        return Credentials.basic(user, pass);
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.wsPort() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(20)).header("Authorization", basic(USER, PASS));
    }

    HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> sendText(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return sendText(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return sendText(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** An agent connected to {@code /register/{testId}} with the Basic header. */
    WsClient agent(String testId) throws Exception {
        return WsClient.to(ws("/register/" + testId)).client(http).authorization(basic(USER, PASS)).connect();
    }

    /** An agent that negotiated testsync.v1, named {@code agent} (null: the server names it); its welcome frame is read. */
    WsClient v1(String testId, String agent) throws Exception {
        WsClient.Builder b = WsClient.to(ws("/register/" + testId)).client(http).authorization(basic(USER, PASS)).subprotocols("testsync.v1");
        if (agent != null) b.agent(agent);
        WsClient a = b.connect();
        String welcome = a.nextText();
        if (!welcome.startsWith("{\"command\":\"welcome\"")) throw new AssertionError("expected the welcome frame, got " + welcome);
        return a;
    }

    @Override
    public void close() {
        server.stop();
    }
}
