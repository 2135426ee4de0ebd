package io.testsync.bench.proc;

import io.testsync.bench.load.Endpoint;
import io.testsync.testkit.ChildProcess;
import io.testsync.testkit.Health;
import io.testsync.testkit.Ports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the children of a bench: fresh TestSync servers from the jar, and the limit servers from
 * this bench's own classpath. All get the same heap bound, so the comparison is like for like. A
 * server starts as the README's run command starts it: with the class archive the build writes
 * next to the jar ({@code testsync.jsa}), when there is one.
 */
public final class Launcher {
    /** The heap the issue fixes for the standard set; the limit servers get the same. */
    public static final String HEAP = "-Xmx512m";
    /** JVM options of the standard set: the fixed heap. */
    public static final List<String> STANDARD_JVM = List.of(HEAP);
    /** No JVM options at all: the JVM's own defaults, as a bare {@code java -jar} runs it. */
    public static final List<String> DEFAULT_JVM = List.of();
    private static final String HOST = "127.0.0.1";
    private static final String USER = "bench";

    private final Path serverJar;
    private final Path workDir;
    private final String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    private final AtomicInteger started = new AtomicInteger();

    public Launcher(Path serverJar, Path workDir) {
        if (!Files.isRegularFile(serverJar)) {
            throw new IllegalArgumentException("server jar " + serverJar.toAbsolutePath()
                    + " does not exist: build it with `mvn -q -DskipTests package` or pass --server-jar");
        }
        this.serverJar = serverJar.toAbsolutePath();
        this.workDir = workDir;
    }

    public enum Storage { MEMORY, SQLITE }

    /** A fresh server on a free port (one listener for HTTP and WebSocket), with its own database file. */
    public Launched server(Storage storage) {
        return server(storage, STANDARD_JVM);
    }

    /** As {@link #server(Storage)}, with these JVM options instead of the fixed heap. */
    public Launched server(Storage storage, List<String> jvmOptions) {
        return server(storage, withClassArchive(jvmOptions), "");
    }

    /** As {@link #server(Storage)}, without the class archive: what the archive saves at startup. */
    public Launched serverWithoutClassArchive(Storage storage) {
        return server(storage, STANDARD_JVM, " (no class archive)");
    }

    private Launched server(Storage storage, List<String> jvmOptions, String labelSuffix) {
        String name = "server-" + started.incrementAndGet();
        return start(name, "TestSync " + storage.name().toLowerCase() + labelSuffix, jvmOptions, Map.of(
                "TESTSYNC_STORAGE_TYPE", storage.name().toLowerCase(),
                "TESTSYNC_STORAGE_SQLITE_PATH", workDir.resolve(name + ".db").toString()));
    }

    /**
     * A fresh server in cluster mode (SPEC §11): storage and coordination on the Redis at
     * {@code redisUrl}, named {@code nodeId}, which must be unique among the nodes of that Redis.
     */
    public Launched clusterNode(String redisUrl, String nodeId) {
        return start("server-" + started.incrementAndGet() + "-" + nodeId, "TestSync " + nodeId, withClassArchive(STANDARD_JVM), Map.of(
                "TESTSYNC_STORAGE_TYPE", "redis",
                "TESTSYNC_STORAGE_REDIS_URL", redisUrl,
                "TESTSYNC_CLUSTER_REDIS_URL", redisUrl,
                "TESTSYNC_CLUSTER_NODE_ID", nodeId));
    }

    private Launched start(String name, String label, List<String> jvmOptions, Map<String, String> storageEnv) {
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(storageEnv);
        env.putAll(Map.of(
                "TESTSYNC_HTTP_PORT", Integer.toString(port),
                "TESTSYNC_WS_PORT", Integer.toString(port),
                "TESTSYNC_BIND_ADDRESS", HOST,
                "TESTSYNC_LOGGING_LEVEL", "WARN",
                "TESTSYNC_SYNC_CLIENT_USERNAME", USER,
                "TESTSYNC_SYNC_CLIENT_PASSWORD", password));
        List<String> command = new java.util.ArrayList<>(jvmOptions);
        command.addAll(List.of("-jar", serverJar.toString()));
        ChildProcess child = ChildProcess.startJava(name, command, env, workDir, false);
        return awaitUp(child, Endpoint.basic(label, HOST, port, USER, password));
    }

    /** A minimal Vert.x server of this module (a limit), started like the server: its own JVM. */
    public Launched limit(Class<?> mainClass, String label) {
        return limit(mainClass, label, STANDARD_JVM);
    }

    /** As {@link #limit(Class, String)}, with these JVM options instead of the fixed heap. */
    public Launched limit(Class<?> mainClass, String label, List<String> jvmOptions) {
        int port = Ports.free();
        String name = mainClass.getSimpleName() + "-" + started.incrementAndGet();
        String classpath = absoluteClasspath();
        List<String> command = new java.util.ArrayList<>(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass.getName(), Integer.toString(port)));
        ChildProcess child = ChildProcess.startJava(name, command, Map.of(), workDir, false);
        return awaitUp(child, Endpoint.basic(label, HOST, port, USER, password));
    }

    /** The options and, when the build wrote one next to the jar, its class archive (as the README runs it). */
    private List<String> withClassArchive(List<String> jvmOptions) {
        Path archive = serverJar.resolveSibling("testsync.jsa");
        if (!Files.isRegularFile(archive)) return jvmOptions;
        List<String> options = new java.util.ArrayList<>(jvmOptions);
        options.add("-XX:SharedArchiveFile=" + archive);
        return options;
    }

    private static Launched awaitUp(ChildProcess child, Endpoint endpoint) {
        try {
            long up = Health.awaitUp(child, endpoint.host(), endpoint.port(), Duration.ofSeconds(60));
            return new Launched(child, endpoint, up);
        } catch (RuntimeException e) {
            child.process().destroyForcibly(); // it never came up: nothing to shut down politely
            throw e;
        }
    }

    /** The child runs in the work directory, so a relative entry (java -jar bench/target/...) must be made absolute. */
    private static String absoluteClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The user name every server child is started with (for clients that take credentials, not a header). */
    public String user() {
        return USER;
    }

    /** The password every server child is started with. */
    public String password() {
        return password;
    }

    public Path workDir() {
        return workDir;
    }
}
