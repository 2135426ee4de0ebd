package io.testsync.bench.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server started as its own JVM, as users start it: its output goes to files in the bench's
 * temp directory (a full pipe would stall it), and it is stopped with SIGTERM like a service.
 * Children still alive when the bench exits are killed by a shutdown hook.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-children"));
    }

    private final String name;
    private final Process process;
    private final Path stderr;
    private final long startedNanos;

    private ChildJvm(String name, Process process, Path stderr, long startedNanos) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.startedNanos = startedNanos;
    }

    /** The java launcher running this bench: children get the same JDK. */
    public static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Starts {@code java <jvmArgs...>} with extra environment variables; output goes to
     * {@code <dir>/<name>.out} and {@code .err}.
     */
    public static ChildJvm start(String name, List<String> jvmArgs, Map<String, String> env, Path dir) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(jvmArgs);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long started = System.nanoTime();
        try {
            Process p = pb.start();
            LIVE.add(p);
            return new ChildJvm(name, p, err, started);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** When {@link #start} was called: the zero of the startup scenario. */
    public long startedNanos() {
        return startedNanos;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Fails with the child's last error output when it has exited. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + ": " + errorTail());
        }
    }

    /** Resident memory of the child in bytes, from /proc/<pid>/status (VmRSS), as the kernel counts it. */
    public long residentBytes() {
        requireAlive();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid() + "/status (resident memory needs Linux)", e);
        }
        throw new IllegalStateException("no VmRSS line in /proc/" + pid() + "/status");
    }

    /** SIGTERM, then up to 20 s for a clean exit (the server promises 15 s), then SIGKILL. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            LIVE.remove(process);
        }
    }

    String errorTail() {
        try {
            String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
            text = text.strip();
            if (text.isEmpty()) return "(no error output; see " + stderr + ")";
            return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(cannot read " + stderr + ")";
        }
    }
}
