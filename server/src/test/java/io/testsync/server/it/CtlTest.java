package io.testsync.server.it;

import io.testsync.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testsync.server.ctl.Ctl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code testsync ctl} against the real server: tables, --json, exit status, one-line errors. */
class CtlTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Harness h;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        h = Harness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    int ctl(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Ctl.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** With the server's address and the agents' credentials in the environment, as an operator would set them. */
    int ctl(String... args) {
        return ctl(Map.of("TESTSYNC_HTTP_URL", "http://127.0.0.1:" + h.server.httpPort(),
                "TESTSYNC_ADMIN_USERNAME", Harness.USER, "TESTSYNC_ADMIN_PASSWORD", Harness.PASS), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static String id() {
        return "ctl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void runsAndRunPrintTables() throws Exception {
        String id = id();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send(AdminApiTest.join("login", 3));
            await().until(() -> ctl("run", id) == 0 && out().contains("1/3"));
            assertThat(out()).startsWith("run " + id + ": 2 agents, 1 checkpoint waiting, data: none\n\nAGENTS\n"
                    + "AGENT");
            assertThat(out()).contains("\nCHECKPOINTS\nCHECKPOINT  STATE    JOINED  JOINED AGENTS  NOT JOINED");
            assertThat(out()).containsPattern("\nlogin       waiting     1/3  agent-\\d+ +agent-\\d+ +in 9 min\n");
            assertThat(err()).isEmpty();

            assertThat(ctl("runs")).isZero();
            assertThat(out()).startsWith("RUN").contains("AGENTS  WAITING  LAST ACTIVITY\n")
                    .containsPattern("\n" + id + " +2 +1 +\\d+ s ago\n");
        }
    }

    @Test
    void jsonPrintsTheServersAnswer() throws Exception {
        String id = id();
        h.post("/tests/" + id, "12345", "text/plain");
        assertThat(ctl("run", id, "--json")).isZero();
        JsonNode d = JSON.readTree(out());
        assertThat(d.get("id").asText()).isEqualTo(id);
        assertThat(d.get("data").toString()).isEqualTo("{\"bytes\":5,\"content_type\":\"text/plain\"}");
        assertThat(ctl("runs", "--json")).isZero();
        assertThat(JSON.readTree(out()).get("runs").isArray()).isTrue();
    }

    @Test
    void releaseKickAndDeleteSayWhatTheyDid() throws Exception {
        String id = id();
        try (WsClient a = h.agent(id); WsClient b = h.agent(id)) {
            a.send(AdminApiTest.join("stuck", 5));
            await().until(() -> ctl("run", id) == 0 && out().contains("1/5"));
            assertThat(ctl("release", id, "stuck")).isZero();
            assertThat(out()).isEqualTo("released 1 agents from checkpoint 'stuck' of run " + id + "\n");
            assertThat(JSON.readTree(a.nextText()).get("content").get("reason").asText()).isEqualTo("operator_released");

            assertThat(ctl("release", id, "stuck")).isEqualTo(1);
            assertThat(out()).isEmpty();
            assertThat(err()).isEqualTo("testsync ctl: run '" + id + "' has no waiting checkpoint 'stuck'"
                    + " (it never existed, completed, timed out or was released already)\n");

            ctl("run", id, "--json");
            String connection = JSON.readTree(out()).get("agents").get(0).get("connection").asText();
            assertThat(ctl("kick", id, connection)).isZero();
            assertThat(out()).isEqualTo("removed connection " + connection + " from run " + id + "\n");

            assertThat(ctl("delete", id)).isZero();
            assertThat(out()).isEqualTo("deleted run " + id + "\n");
            assertThat(a.awaitClose()).isEqualTo(4001);
            assertThat(b.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void failuresAreOneLineAndExitOne() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(ctl(Map.of(), "runs", "--url", "http://127.0.0.1:" + closedPort)).isEqualTo(1);
        assertThat(err()).isEqualTo("testsync ctl: could not connect to http://127.0.0.1:" + closedPort + ": is the server running?\n");

        assertThat(ctl(Map.of(), "runs", "--url", "http://127.0.0.1:" + h.server.httpPort(), "--user", "x", "--password", "y")).isEqualTo(1);
        assertThat(err()).startsWith("testsync ctl: missing or wrong credentials").endsWith(
                "; pass --user and --password, or set TESTSYNC_ADMIN_USERNAME and TESTSYNC_ADMIN_PASSWORD\n");
        assertThat(err().lines()).hasSize(1);

        assertThat(ctl("run", "no such")).isEqualTo(1);
        assertThat(err()).isEqualTo("testsync ctl: test ID may contain only A-Z a-z 0-9 . _ - (1-128 characters)\n");

        assertThat(ctl("runs", "--url", "ftp://x")).isEqualTo(1);
        assertThat(err()).isEqualTo("testsync ctl: --url ftp://x is not an http:// address such as http://127.0.0.1:9104\n");
    }

    @Test
    void usageMistakesExitTwo() {
        assertThat(ctl("release", "only-an-id")).isEqualTo(2);
        assertThat(err()).startsWith("testsync ctl: Missing required parameter: 'CHECKPOINT'\nUsage: ctl release");
        assertThat(ctl("frobnicate")).isEqualTo(2);
        assertThat(ctl()).isEqualTo(2);
        assertThat(out()).contains("runs", "release", "kick", "delete");
        assertThat(ctl("--help")).isZero();
        assertThat(out()).startsWith("Usage: ctl");
    }
}
