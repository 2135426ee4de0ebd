package io.testsync.testkit;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process for tests, on a free loopback port with its own directory:
 * start, stop gracefully, {@code kill -9}, and start again on the same port and directory (so a
 * client that knows the address reconnects, and AOF/RDB files are read back). Never a mock.
 *
 * <p>Configuration lines are redis.conf directives ({@code "appendonly yes"}); they come after the
 * defaults here (no RDB snapshots, loopback only), so a test may override any of them.
 */
public final class RedisProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final List<String> config;
    private final int port;
    private Process process;

    private RedisProcess(Path dir, List<String> config, int port) {
        this.dir = dir;
        this.config = List.copyOf(config);
        this.port = port;
    }

    /** A Redis in {@code dir} (created when missing) with these redis.conf lines, started and answering PING. */
    public static RedisProcess start(Path dir, String... configLines) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A free port can be taken between asking and binding: try a few.
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisProcess redis = new RedisProcess(dir, List.of(configLines), Ports.free());
            try {
                redis.launch();
                return redis;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Every acknowledged write survives kill -9: AOF on, fsync before each reply. */
    public static RedisProcess durable(Path dir) {
        return start(dir, "appendonly yes", "appendfsync always");
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The URL a server or link connects with: {@code redis://127.0.0.1:<port>/0}. */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Sends one command over a fresh connection (see {@link RespClient#call}). */
    public Object call(String... args) {
        try (RespClient client = new RespClient(port)) {
            return client.call(args);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + args[0], e);
        }
    }

    /** SIGTERM: Redis finishes (flushes its AOF, writes its RDB when configured) and exits. */
    public void stop() {
        end(false);
    }

    /** SIGKILL: gone at once, as in a crash; nothing is flushed that was not already. */
    public void kill() {
        end(true);
    }

    /** SIGSTOP: the process stays, its sockets stay open, and it answers nothing (a hung Redis). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}: Redis goes on with what it had received. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts again, same port, directory and configuration; the process must have ended. */
    public void restart() {
        if (isRunning()) throw new IllegalStateException("Redis on port " + port + " is still running; stop or kill it first");
        launch();
    }

    @Override
    public void close() {
        if (isRunning()) {
            resume(); // a stopped process does not act on SIGKILL until continued on some systems
            kill();
        }
    }

    private void end(boolean force) {
        if (process == null) return;
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        Path conf = dir.resolve("redis.conf");
        Path log = dir.resolve("redis.log");
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind 127.0.0.1",
                "dir \"" + dir.toAbsolutePath() + "\"",
                "daemonize no",
                "save \"\"",
                "appendonly no",
                "logfile \"\""));
        lines.addAll(config);
        try {
            Files.write(conf, lines);
            process = new ProcessBuilder(RedisBinary.get().toString(), conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + RedisBinary.get(), e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + started.exitValue()
                        + ": " + tail(log));
            }
            if (answersPing()) return;
            try {
                started.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        started.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s: " + tail(log));
    }

    /** PONG, not a LOADING error: the data set (AOF) has been read back. */
    private boolean answersPing() {
        try (RespClient client = new RespClient(port)) {
            return "PONG".equals(client.call("PING"));
        } catch (IOException | RespClient.RespError e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
