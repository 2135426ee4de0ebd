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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §1 shutdown and start failures, on a real child process. */
class LifecycleProcessTest {

    @Test
    void sigtermClosesWebSocketsWith1012AndExitsZero(@TempDir Path dir) throws Exception {
        try (ServerJar server = ServerJar.fromClasspath().mergeOutput(false).start(dir)) {
            WsClient agent = WsClient.connect(server.ws("/register/shutdown"), null);
            server.process().destroy(); // SIGTERM
            assertThat(agent.awaitClose()).isEqualTo(1012);
            assertThat(server.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process().exitValue()).isZero();
        }
    }

    @Test
    void portInUseEndsWithExitOneAndOneLine(@TempDir Path dir) throws Exception {
        try (ServerJar first = ServerJar.fromClasspath().mergeOutput(false).start(dir)) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.testsync.server.Main").directory(dir.toFile());
            pb.environment().put("TESTSYNC_HTTP_PORT", Integer.toString(first.port()));
            pb.environment().put("TESTSYNC_WS_PORT", Integer.toString(first.port()));
            pb.environment().put("TESTSYNC_BIND_ADDRESS", "127.0.0.1");
            Path err = dir.resolve("second.err");
            Process p = pb.redirectError(err.toFile()).redirectOutput(dir.resolve("second.out").toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            var lines = Files.readAllLines(err);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("address already in use").contains(Integer.toString(first.port())).doesNotContain("Exception");
            // the first server is untouched
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + first.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
