package io.testsync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup rules of Redis storage and cluster mode (SPEC §11) as the command line reports them: one line, exit 1. */
class RedisStartupTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env) {
        return Main.run(new String[0], env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsoleLogging() throws Exception {
        Logging.configure("INFO", null);
    }

    @Test
    void clusterModeWithSqliteStorageExits1WithOneLine() {
        assertThat(run(Map.of("TESTSYNC_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379", "TESTSYNC_STORAGE_TYPE", "sqlite")))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "environment variable TESTSYNC_CLUSTER_REDIS_URL (cluster.redis_url) turns on cluster mode, but environment"
                        + " variable TESTSYNC_STORAGE_TYPE (storage.type) is \"sqlite\"; cluster mode needs storage.type \"redis\""
                        + " with storage.redis_url, so that every node sees the same data: set them, or remove cluster.redis_url"
                        + " to run a single node");
    }

    @Test
    void redisStorageThatCannotBeReachedExits1WithOneLineAndNoPassword() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // nobody listens there once closed
        }
        int status = run(Map.of("TESTSYNC_STORAGE_TYPE", "redis",
                "TESTSYNC_STORAGE_REDIS_URL", "redis://ops:hunter2@127.0.0.1:" + port,
                "TESTSYNC_HTTP_PORT", "1", "TESTSYNC_WS_PORT", "1"));

        assertThat(status).isEqualTo(1);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr.lines().toList()).hasSize(1);
        assertThat(stderr).startsWith("storage.redis_url: cannot use Redis at redis://ops:***@127.0.0.1:" + port + "/0 (")
                .contains("Connection refused").doesNotContain("hunter2");
    }
}
