package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §2 through real HTTP: exact statuses, bytes, headers and error bodies. */
class HttpApiTest {
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String fresh() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void postStoresAndEchoesThenGetReturnsExactBytesAndType() throws Exception {
        String id = fresh();
        HttpResponse<String> post = h.post("/tests/" + id, "{ \"users\": [1, 2] }", "application/json");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("{ \"users\": [1, 2] }");

        HttpResponse<String> get = h.get("/tests/" + id);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("{ \"users\": [1, 2] }");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void secondPostIsConflictAndChangesNothing() throws Exception {
        String id = fresh();
        h.post("/tests/" + id, "first", "text/plain");
        HttpResponse<String> again = h.post("/tests/" + id, "second", "text/plain");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(again.body()).startsWith("{\"code\":409,\"error\":\"");
        assertThat(h.get("/tests/" + id).body()).isEqualTo("first");
    }

    @Test
    void getOfUnknownRunIs404Json() throws Exception {
        HttpResponse<String> r = h.get("/tests/none-" + UUID.randomUUID());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).matches("\\{\"code\":404,\"error\":\"test none-[0-9a-f-]+ has no data\"}");
    }

    @Test
    void putReplacesOrCreatesAndDeleteRemoves() throws Exception {
        String id = fresh();
        HttpResponse<String> put = h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString("a")).build());
        assertThat(put.statusCode()).isEqualTo(200);
        h.sendText(h.request("/tests/" + id).PUT(HttpRequest.BodyPublishers.ofString("b")).build());
        assertThat(h.get("/tests/" + id).body()).isEqualTo("b");

        HttpResponse<String> del = h.sendText(h.request("/tests/" + id).DELETE().build());
        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(del.body()).isEmpty();
        assertThat(h.get("/tests/" + id).statusCode()).isEqualTo(404);
        HttpResponse<String> again = h.sendText(h.request("/tests/" + id).DELETE().build());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).startsWith("{\"code\":404,");
    }

    @Test
    void emptyBodyIsValidDataAndTypeDefaultsToOctetStream() throws Exception {
        String id = fresh();
        HttpResponse<String> post = h.sendText(h.request("/tests/" + id).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> get = h.send(h.request("/tests/" + id).GET().build());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void binaryBytesRoundTripExactly() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        String id = fresh();
        h.send(h.request("/tests/" + id).header("Content-Type", "image/x-test").POST(HttpRequest.BodyPublishers.ofByteArray(all)).build());
        HttpResponse<byte[]> get = h.send(h.request("/tests/" + id).GET().build());
        assertThat(get.body()).isEqualTo(all);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("image/x-test");
    }

    @Test
    void bodyOverTenMebibytesIs413AndNothingStored() throws Exception {
        String id = fresh();
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        HttpResponse<String> r = h.sendText(h.request("/tests/" + id).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("{\"code\":413,\"error\":\"body is larger than the data limit of 10485760 bytes (limits.max_data_bytes)\"}");
        assertThat(h.get("/tests/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void bodyOfExactlyTenMebibytesIsStored() throws Exception {
        String id = fresh();
        byte[] max = new byte[10 * 1024 * 1024];
        max[max.length - 1] = 7;
        HttpResponse<byte[]> r = h.send(h.request("/tests/" + id).POST(HttpRequest.BodyPublishers.ofByteArray(max)).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(h.send(h.request("/tests/" + id).GET().build()).body()).isEqualTo(max);
    }

    @Test
    void badIdsAre400() throws Exception {
        // "a/b" is no ID but a path below /tests/a/: 404 since SPEC §7.1 (ProtocolMistakesTest)
        for (String bad : new String[]{"a%20b", "a*b", "x".repeat(129)}) {
            HttpResponse<String> r = h.get("/tests/" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).startsWith("{\"code\":400,\"error\":\"test ID ");
        }
        assertThat(h.get("/tests/" + "x".repeat(128)).statusCode()).isEqualTo(404);
        assertThat(h.get("/tests/A.z_0-9").statusCode()).isEqualTo(404);
    }

    @Test
    void missingOrWrongCredentialsAre401WithChallenge() throws Exception {
        HttpResponse<String> none = h.sendText(HttpRequest.newBuilder(h.http("/tests/1")).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"testsync\"");
        assertThat(none.body()).startsWith("{\"code\":401,\"error\":\"");
        HttpResponse<String> wrong = h.sendText(HttpRequest.newBuilder(h.http("/tests/1"))
                .header("Authorization", Harness.basic(Harness.USER, "nope")).GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> garbage = h.sendText(HttpRequest.newBuilder(h.http("/tests/1"))
                .header("Authorization", "Basic !!!").GET().build());
        assertThat(garbage.statusCode()).isEqualTo(401);
    }

    @Test
    void healthNeedsNoCredentials() throws Exception {
        HttpResponse<String> r = h.sendText(HttpRequest.newBuilder(h.http("/health")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        HttpResponse<String> r = h.get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).startsWith("{\"code\":404,\"error\":\"no route for GET /nope");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = h.sendText(h.request("/tests/1").method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST, PUT, DELETE");
        assertThat(r.body()).startsWith("{\"code\":405,\"error\":\"");
        HttpResponse<String> health = h.sendText(h.request("/health").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(health.statusCode()).isEqualTo(405);
        assertThat(health.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void corsPreflightIsAnsweredWithoutCredentials() throws Exception {
        HttpResponse<String> r = h.sendText(HttpRequest.newBuilder(h.http("/tests/1"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Authorization, Content-Type");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, PUT, DELETE, OPTIONS");

        HttpResponse<String> actual = h.sendText(h.request("/tests/none-cors").header("Origin", "http://app.example").GET().build());
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
}
