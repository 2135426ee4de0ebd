package io.testsync.server.it;

import io.testsync.testkit.Ports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §8 / issue 4: /readyz, /version and /metrics through real HTTP: statuses, bodies, credentials, ports. */
class OperationsTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static HttpResponse<String> anonymous(Harness harness, URI uri) throws Exception {
        return harness.sendText(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build());
    }

    @Test
    void readyzAnswersReadyWithoutCredentials() throws Exception {
        HttpResponse<String> r = anonymous(h, h.http("/readyz"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    @Test
    void versionAnswersTheBuiltVersionWithoutCredentials() throws Exception {
        Properties built = new Properties();
        try (InputStream in = OperationsTest.class.getResourceAsStream("/testsync-version.properties")) {
            built.load(in);
        }
        assertThat(built.getProperty("version")).matches("\\d+\\.\\d+\\.\\d+.*");
        HttpResponse<String> r = anonymous(h, h.http("/version"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"version\":\"" + built.getProperty("version") + "\"}");
    }

    @Test
    void metricsRequireTheCredentials() throws Exception {
        HttpResponse<String> none = anonymous(h, h.http("/metrics"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"testsync\"");
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(none.body()).startsWith("{\"code\":401,\"error\":\"");

        HttpResponse<String> wrong = h.sendText(HttpRequest.newBuilder(h.http("/metrics"))
                .header("Authorization", Harness.basic(Harness.USER, "wrong")).GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);

        HttpResponse<String> ok = h.get("/metrics");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(ok.body()).contains("# TYPE testsync_http_requests_total counter");
    }

    @Test
    void wrongMethodsAre405WithAllow() throws Exception {
        for (String path : new String[] {"/readyz", "/version", "/metrics"}) {
            HttpResponse<String> r = h.sendText(h.request(path).POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
            assertThat(r.body()).as(path).startsWith("{\"code\":405,\"error\":\"");
        }
    }

    @Test
    void headAnswersWithoutBody() throws Exception {
        // HTTP/1.1: the JDK client would otherwise upgrade to h2c, where HEAD is another story
        HttpResponse<String> r = h.sendText(HttpRequest.newBuilder(h.http("/readyz")).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void withTwoPortsTheEndpointsAreOnTheHttpPortOnly() throws Exception {
        int[] ports = Ports.free(2);
        try (Harness two = Harness.start(Harness.config().withPorts(ports[0], ports[1]))) {
            URI httpReadyz = URI.create("http://127.0.0.1:" + two.server.httpPort() + "/readyz");
            URI wsReadyz = URI.create("http://127.0.0.1:" + two.server.wsPort() + "/readyz");
            assertThat(two.server.httpPort()).isNotEqualTo(two.server.wsPort());
            assertThat(anonymous(two, httpReadyz).statusCode()).isEqualTo(200);
            HttpResponse<String> onWs = anonymous(two, wsReadyz);
            assertThat(onWs.statusCode()).isEqualTo(404);
            assertThat(onWs.body()).startsWith("{\"code\":404,\"error\":\"no route for GET /readyz");
            assertThat(anonymous(two, URI.create("http://127.0.0.1:" + two.server.httpPort() + "/version")).statusCode()).isEqualTo(200);
        }
    }

    /**
     * From loopback only: tests send no traffic to other addresses. That a non-loopback client gets 403 on
     * /metrics is the protected-mode decision of Auth, covered in AuthTest; /readyz and /version skip it.
     */
    @Test
    void inProtectedModeProbesAndMetricsServeThisMachineWithoutCredentials() throws Exception {
        try (Harness open = Harness.start(Harness.config().withCredentials(null))) {
            assertThat(anonymous(open, open.http("/readyz")).statusCode()).isEqualTo(200);
            assertThat(anonymous(open, open.http("/version")).statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = anonymous(open, open.http("/metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("testsync_");
        }
    }
}
