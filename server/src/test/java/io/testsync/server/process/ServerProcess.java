package io.testsync.server.process;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server as a child process (the test class path, {@code io.testsync.server.Main}), for what only a
 * real process shows: signals, {@code kill -9}, exit status, stderr.
 */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path stdout;
    final Path stderr;

    private ServerProcess(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the server on a free port (HTTP and WebSocket on one listener) with the extra environment, and waits for /health. */
    static ServerProcess start(Path dir, Map<String, String> env, String... args) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.testsync.server.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("TESTSYNC_HTTP_PORT", Integer.toString(port));
        pb.environment().put("TESTSYNC_WS_PORT", Integer.toString(port));
        pb.environment().put("TESTSYNC_BIND_ADDRESS", "127.0.0.1");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "stdout", ".log");
        Path err = Files.createTempFile(dir, "stderr", ".log");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        ServerProcess sp = new ServerProcess(pb.start(), port, out, err);
        sp.awaitHealthy();
        return sp;
    }

    void awaitHealthy() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Awaitility.await("server answers /health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + ": " + Files.readString(stderr));
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
