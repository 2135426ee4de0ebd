package io.testsync.server.it;

import io.testsync.testkit.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §7.1: an HTTP version the server does not speak is 505 JSON; a path below /tests/{testID}/ that is no route is 404 JSON. */
class ProtocolMistakesTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Sends {@code head} on a new connection; returns the response and whether the server closed the connection after it. */
    static RawHttp.Response raw(String head, boolean[] closedAfter) throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.server.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Response r = RawHttp.readResponse(s.getInputStream());
            closedAfter[0] = s.getInputStream().read() == -1;
            return r;
        }
    }

    @Test
    void anUnknownHttpVersionIs505JsonAndTheConnectionIsClosed() throws Exception {
        boolean[] closed = new boolean[1];
        RawHttp.Response r = raw("GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", closed);
        assertThat(r.status()).isEqualTo(505);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"code\":505,\"error\":\"HTTP/9.9 is not supported: this server speaks HTTP/1.1 (and HTTP/1.0)\"}");
        assertThat(closed[0]).as("connection closed after the 505").isTrue();
        // the versions it speaks are still served
        assertThat(raw("GET /health HTTP/1.0\r\n\r\n", closed).status()).isEqualTo(200);
    }

    @Test
    void aSubPathOfATestIs404JsonWhateverTheMethodAndStoresNothing() throws Exception {
        String id = "t-" + UUID.randomUUID();
        HttpResponse<String> get = h.get("/tests/" + id + "/extra");
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get.body()).isEqualTo("{\"code\":404,\"error\":\"no route for GET /tests/" + id + "/extra; the API is /tests/{testID} and /health\"}");

        HttpResponse<String> put = h.sendText(h.request("/tests/" + id + "/a/b").PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(put.body()).isEqualTo("{\"code\":404,\"error\":\"no route for PUT /tests/" + id + "/a/b; the API is /tests/{testID} and /health\"}");
        HttpResponse<String> slash = h.get("/tests/" + id + "/");
        assertThat(slash.statusCode()).isEqualTo(404);
        assertThat(slash.body()).isEqualTo("{\"code\":404,\"error\":\"no route for GET /tests/" + id + "/; the API is /tests/{testID} and /health\"}");
        assertThat(h.get("/tests/" + id).statusCode()).as("nothing was stored").isEqualTo(404);
    }
}
