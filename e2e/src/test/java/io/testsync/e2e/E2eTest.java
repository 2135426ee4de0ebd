package io.testsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The program's outer behaviour: exit status and the one line it prints, with no server involved. */
class E2eTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return E2e.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aRefusedConnectionIsOneLineOnStderrAndStatusOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        int status = run(Map.of("TESTSYNC_HTTP_URL", "http://127.0.0.1:" + port));
        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("e2e FAILED at step health: GET http://127.0.0.1:" + port + "/health failed: could not connect")
                .hasLineCount(1)
                .doesNotContain("Exception");
    }

    @Test
    void badSettingsFailBeforeAnyRequest() {
        assertThat(run(Map.of("TESTSYNC_TEST_ID", "no spaces"))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("e2e FAILED at step settings: TESTSYNC_TEST_ID");
    }

    @Test
    void helpIsStatusZeroAndAnUnknownArgumentIsTwo() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("TESTSYNC_HTTP_URL");
        assertThat(run(Map.of(), "--verbose")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--verbose");
    }
}
