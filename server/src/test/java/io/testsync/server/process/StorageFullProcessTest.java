package io.testsync.server.process;

import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk, for real: the server process's file size limit (RLIMIT_FSIZE, set from outside with
 * util-linux {@code prlimit}) is lowered to the size of its write-ahead log, so SQLite can append
 * nothing more, exactly as on a disk without free space (the JVM ignores SIGXFSZ; the write fails
 * with EFBIG instead). Then the limit is lifted, as when space is freed. Linux only.
 */
class StorageFullProcessTest {
    static final String FAILED = "{\"code\":500,\"error\":\"storage failed; the request was not applied\"}";

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFullDiskAnswers500AndInternalErrorKeepsServingAndRecovers(@TempDir Path dir) throws Exception {
        assumeTrue(prlimitWorks(), "needs Linux and util-linux prlimit");
        Path db = dir.resolve("data/testsync.db");
        try (ServerJar server = ServerJar.fromClasspath().mergeOutput(false).env(Map.of(
                "TESTSYNC_STORAGE_TYPE", "sqlite", "TESTSYNC_STORAGE_SQLITE_PATH", db.toString())).start(dir)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(send(put(base + "/tests/before", "kept")).statusCode()).isEqualTo(200);
            WsClient agent = WsClient.to(server.ws("/register/agent-run")).client(client).connect();

            long wal = Files.size(db.resolveSibling("testsync.db-wal"));
            prlimit(server.process().pid(), wal + ":"); // soft limit only, so it can be raised again
            try {
                HttpResponse<String> failed = send(put(base + "/tests/full", "x".repeat(10_000)));
                assertThat(failed.statusCode()).isEqualTo(500);
                assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(failed.body()).isEqualTo(FAILED);

                agent.send("{\"command\":\"update_data\",\"id\":1,\"content\":[1,2,3]}");
                assertThat(agent.nextText()).isEqualTo("{\"command\":\"error\",\"id\":1,\"content\":{\"code\":\"internal_error\","
                        + "\"command\":\"update_data\",\"error\":\"storage failed; the command was not applied\"}}");

                HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(base + "/tests/before")).GET().build());
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).isEqualTo("kept");
                HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(base + "/readyz")).GET().build());
                assertThat(ready.statusCode()).as("readiness commits a write, which the full disk refuses").isEqualTo(503);
                assertThat(ready.body()).isEqualTo("{\"code\":503,\"error\":\"not ready: storage is not answering; the server log says why\"}");
                assertThat(server.process().isAlive()).isTrue();
            } finally {
                prlimit(server.process().pid(), "unlimited:");
            }

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    send(HttpRequest.newBuilder(URI.create(base + "/readyz")).GET().build()).statusCode() == 200);
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/tests/full")).GET().build()).statusCode()).isEqualTo(404);
            assertThat(send(put(base + "/tests/full", "x".repeat(10_000))).statusCode()).isEqualTo(200);
            agent.send("{\"command\":\"update_data\",\"content\":[1,2,3]}");
            agent.send("{\"command\":\"get_connection_count\"}");
            assertThat(agent.nextText()).isEqualTo("{\"command\":\"get_connection_count\",\"content\":{\"count\":1}}");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/tests/agent-run")).GET().build()).body()).isEqualTo("[1,2,3]");
            agent.abort();
        }
    }

    HttpRequest put(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void prlimit(long pid, String fsize) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + fsize).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit --fsize=%s: %s", fsize, out).isZero();
    }

    static boolean prlimitWorks() {
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()), "--fsize")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
