package io.testsync.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TestSync server as a child process, configured the way a user does it (TESTSYNC_* variables):
 * one free port for HTTP and WebSocket on 127.0.0.1, optional credentials; started from the built
 * jar or from the caller's class path, and up once {@code /health} answers 200.
 */
public final class ServerJar implements AutoCloseable {
    /** The system property naming the jar (the fault suite sets it); else {@code ../server/target/testsync.jar}. */
    public static final String JAR_PROPERTY = "testsync.jar";
    private static final String HOST = "127.0.0.1";
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final ChildProcess child;
    private final int port;
    private final Credentials credentials;
    private final long upAtNanos;

    private ServerJar(ChildProcess child, int port, Credentials credentials, long upAtNanos) {
        this.child = child;
        this.port = port;
        this.credentials = credentials;
        this.upAtNanos = upAtNanos;
    }

    /** The jar named by {@value #JAR_PROPERTY}, or the server module's build output; fails naming the build step when missing. */
    public static Path defaultJar() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../server/target/testsync.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the server first (mvn -pl server package, or mvn verify from the top)");
        }
        return jar;
    }

    /** {@code java -jar <jar>}. */
    public static Builder fromJar(Path jar) {
        return new Builder(List.of("-jar", jar.toAbsolutePath().toString()));
    }

    /** {@code java -jar} of {@link #defaultJar()}. */
    public static Builder fromJar() {
        return fromJar(defaultJar());
    }

    /** {@code java -cp <this JVM's class path> io.testsync.server.Main}: the server's own tests, before its jar exists. */
    public static Builder fromClasspath() {
        return new Builder(List.of("-cp", System.getProperty("java.class.path"), "io.testsync.server.Main"));
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI uri(String path) {
        return URI.create("http://" + HOST + ":" + port + path);
    }

    /** {@code ws://127.0.0.1:<port><path>}. */
    public URI ws(String path) {
        return URI.create("ws://" + HOST + ":" + port + path);
    }

    /** The credentials it was started with; null when none. */
    public Credentials credentials() {
        return credentials;
    }

    /** The Basic header value for its credentials; null when it has none. */
    public String authorization() {
        return credentials == null ? null : credentials.authorization();
    }

    /** A {@link WsClient} connected to {@code path} with this server's credentials. */
    public WsClient agent(String path) throws Exception {
        return WsClient.to(ws(path)).authorization(authorization()).connect();
    }

    /** A {@link RawWebSocket} upgraded to {@code path} with this server's credentials; fails unless 101. */
    public RawWebSocket rawAgent(String path) throws IOException {
        String auth = authorization();
        return auth == null ? RawWebSocket.upgraded(port, path) : RawWebSocket.upgraded(port, path, "Authorization: " + auth);
    }

    public ChildProcess child() {
        return child;
    }

    public Process process() {
        return child.process();
    }

    /** When /health first answered 200 (System.nanoTime()). */
    public long upAtNanos() {
        return upAtNanos;
    }

    /** Everything the server logged so far (stdout, and stderr when merged). */
    public String logText() {
        return child.outputText();
    }

    /** The server's resident memory in KiB, from /proc (Linux). */
    public long rssKib() throws IOException {
        return child.residentBytes() / 1024;
    }

    /** kill -9: no shutdown hook, no flush. */
    public void kill9() throws InterruptedException {
        child.kill();
    }

    @Override
    public void close() throws InterruptedException {
        child.close();
    }

    /** What to start: JVM options, environment, credentials, arguments, where its output goes. */
    public static final class Builder {
        private final List<String> launch;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Credentials credentials;
        private String name;
        private boolean mergeOutput = true;
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder(List<String> launch) {
            this.launch = launch;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** Command-line arguments of the server, after the jar or main class. */
        public Builder args(String... serverArgs) {
            args.addAll(List.of(serverArgs));
            return this;
        }

        /** Environment variables on top of the port and bind address (which they may override). */
        public Builder env(Map<String, String> vars) {
            env.putAll(vars);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Sets TESTSYNC_SYNC_CLIENT_USERNAME / _PASSWORD. */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The base name of its output files; {@code server-<n>} by default. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** False keeps stdout ({@code .out}) and stderr ({@code .err}) apart; by default both go to one {@code .log}. */
        public Builder mergeOutput(boolean merge) {
            this.mergeOutput = merge;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Starts it on a free port with {@code dir} as working directory (so no stray ./config is read); returns once /health answers 200. */
        public ServerJar start(Path dir) {
            int port = Ports.free();
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("TESTSYNC_HTTP_PORT", Integer.toString(port));
            vars.put("TESTSYNC_WS_PORT", Integer.toString(port));
            vars.put("TESTSYNC_BIND_ADDRESS", HOST);
            if (credentials != null) {
                vars.put("TESTSYNC_SYNC_CLIENT_USERNAME", credentials.user());
                vars.put("TESTSYNC_SYNC_CLIENT_PASSWORD", credentials.password());
            }
            vars.putAll(env);
            List<String> command = new ArrayList<>(jvmOptions);
            command.addAll(launch);
            command.addAll(args);
            String base = name != null ? name : "server-" + STARTED.incrementAndGet();
            ChildProcess child = ChildProcess.startJava(base, command, vars, dir, mergeOutput);
            try {
                long up = Health.awaitUp(child, HOST, port, startupTimeout);
                return new ServerJar(child, port, credentials, up);
            } catch (RuntimeException e) {
                child.process().destroyForcibly();
                throw e;
            }
        }
    }
}
