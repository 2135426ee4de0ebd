package io.testsync.testkit;

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
 * A JVM started as its own process, as users start the server: output goes to files (a full pipe
 * would stall it), never to a pipe. Children still alive when this JVM exits are killed by a shutdown
 * hook, so a failed test or an interrupted benchmark leaves none behind.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "testkit-children"));
    }

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos;

    private ChildProcess(String name, Process process, Path stdout, Path stderr, long startedNanos) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startedNanos = startedNanos;
    }

    /** The java launcher running this JVM: children get the same JDK. */
    public static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Starts {@code java <args...>} in {@code dir} with extra environment variables. Output goes to
     * {@code <dir>/<name>.out} and {@code .err}, or both to {@code .log} when {@code mergeOutput}
     * (one file in the order written, for a log read as a whole).
     */
    public static ChildProcess startJava(String name, List<String> args, Map<String, String> env, Path dir, boolean mergeOutput) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            pb.environment().putAll(env);
            Path out = dir.resolve(name + (mergeOutput ? ".log" : ".out"));
            Path err = mergeOutput ? out : dir.resolve(name + ".err");
            if (mergeOutput) pb.redirectErrorStream(true).redirectOutput(out.toFile());
            else pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            long started = System.nanoTime();
            Process p = pb.start();
            LIVE.add(p);
            return new ChildProcess(name, p, out, err, started);
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

    /** The process itself, for signals and exit status. */
    public Process process() {
        return process;
    }

    /** When {@link #startJava} was called: the zero of a startup time. */
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

    public Path stdout() {
        return stdout;
    }

    /** The error output file; the same as {@link #stdout()} when output is merged. */
    public Path stderr() {
        return stderr;
    }

    /** All the child wrote to its standard output so far (with its errors, when merged). */
    public String outputText() {
        return read(stdout);
    }

    /** All the child wrote to its error output so far. */
    public String errorText() {
        return read(stderr);
    }

    /** The last 2,000 characters of the error output, for failure messages. */
    public String errorTail() {
        String text = Files.exists(stderr) ? read(stderr).strip() : "";
        if (text.isEmpty()) return "(no error output; see " + stderr + ")";
        return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
    }

    /** Resident memory in bytes, from /proc/<pid>/status (VmRSS), as the kernel counts it (Linux only). */
    public long residentBytes() {
        requireAlive();
        Path status = Path.of("/proc", Long.toString(pid()), "status");
        for (String line : read(status).split("\n")) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
        throw new IllegalStateException("no VmRSS line in " + status);
    }

    /** SIGKILL: no shutdown hook, no flush; waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException(name + " did not die on SIGKILL");
        LIVE.remove(process);
    }

    /** SIGTERM, then up to {@code graceSeconds} for a clean exit, then SIGKILL; returns the exit status (-1: still not gone). */
    public int stop(long graceSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        LIVE.remove(process);
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Kills the child when it still runs (tests want it gone, not shut down politely). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
        LIVE.remove(process);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
