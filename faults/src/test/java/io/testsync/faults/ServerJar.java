package io.testsync.faults;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server, {@code server/target/testsync.jar}, as a child process, configured the way a user
 * does it (TESTSYNC_* variables): one free port for HTTP and WebSocket, 127.0.0.1, credentials.
 */
final class ServerJar implements AutoCloseable {
    static final String USER = "fault";
    static final String PASS = "f4ult-pa55";
    static final String AUTHORIZATION = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.UTF_8));

    final Process process;
    final int port;
    final Path log;

    private ServerJar(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("testsync.jar", "../server/target/testsync.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the server first (mvn -pl server package, or mvn verify from the top)");
        }
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the jar in {@code dir} (its working directory, so no stray ./config is read) and waits until /health answers. */
    static ServerJar start(Path dir, Map<String, String> env) throws Exception {
        return start(dir, env, List.of());
    }

    static ServerJar start(Path dir, Map<String, String> env, List<String> jvmOptions) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> vars = new HashMap<>();
        vars.put("TESTSYNC_HTTP_PORT", Integer.toString(port));
        vars.put("TESTSYNC_WS_PORT", Integer.toString(port));
        vars.put("TESTSYNC_BIND_ADDRESS", "127.0.0.1");
        vars.put("TESTSYNC_SYNC_CLIENT_USERNAME", USER);
        vars.put("TESTSYNC_SYNC_CLIENT_PASSWORD", PASS);
        vars.put("TESTSYNC_LOGGING_LEVEL", "INFO");
        vars.putAll(env);
        pb.environment().putAll(vars);
        Path log = Files.createTempFile(dir, "server-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        ServerJar server = new ServerJar(pb.start(), port, log);
        server.awaitHealthy();
        return server;
    }

    private void awaitHealthy() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Awaitility.await("the server jar answers /health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + ": " + Files.readString(log));
            try {
                return client.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** The server's resident memory, from /proc (Linux), in KiB. */
    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    /** kill -9: no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("server did not die on kill -9");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
