package io.testsync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line as a user meets it: help, version, usage errors, one-line config errors, signals. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void restoreConsoleLogging() throws Exception {
        Logging.configure("INFO", null); // releases a test's log file and level
    }

    @Test
    void helpPrintsUsageOnStdout() {
        assertThat(run(Map.of(), "--help")).isZero();

        assertThat(out()).startsWith("Usage: testsync").contains("-c=<dir|file>", "--move-corrupt-db-aside",
                "--version", "TESTSYNC_");
        assertThat(err()).isEmpty();
    }

    @Test
    void ctlIsTheOperatorsClientAndStartsNoServer() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run(Map.of(), "ctl", "runs", "--url", "http://127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err()).isEqualTo("testsync ctl: could not connect to http://127.0.0.1:" + port + ": is the server running?"
                + System.lineSeparator());
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).contains("testsync ctl <runs | run ID | release ID CHECKPOINT", "(ctl --help)");
    }

    @Test
    void exitAfterStartStartsOnAFreePortAnswersHealthAndStops() throws Exception {
        int taken;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            taken = s.getLocalPort();
            // the configured port is busy: the check listens on a free one instead
            Map<String, String> env = Map.of("TESTSYNC_HTTP_PORT", Integer.toString(taken),
                    "TESTSYNC_WS_PORT", Integer.toString(taken), "TESTSYNC_STORAGE_TYPE", "sqlite",
                    "TESTSYNC_STORAGE_SQLITE_PATH", dir.resolve("check.db").toString());
            assertThat(run(env, "--exit-after-start")).as(err()).isZero();
        }
        assertThat(err()).isEmpty();
        // stopped: the database is closed, so its WAL is folded back into the file
        Path wal = dir.resolve("check.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL emptied by the stop").isTrue();
        // hidden from the help: it is for the build
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).doesNotContain("exit-after-start");
    }

    @Test
    void versionPrintsNameAndMavenVersion() {
        assertThat(run(Map.of(), "--version")).isZero();

        assertThat(out()).isEqualTo("testsync 0.1.0" + System.lineSeparator());
        assertThat(err()).isEmpty();
    }

    @Test
    void shortVersionFlag() {
        assertThat(run(Map.of(), "-V")).isZero();

        assertThat(out()).isEqualTo("testsync 0.1.0" + System.lineSeparator());
    }

    @Test
    void unknownFlagIsAUsageErrorOnStderr() {
        assertThat(run(Map.of(), "--bogus")).isEqualTo(2);

        assertThat(err()).startsWith("testsync: Unknown option: '--bogus'" + System.lineSeparator() + "Usage: testsync");
        assertThat(out()).isEmpty();
    }

    @Test
    void strayArgumentIsAUsageError() {
        assertThat(run(Map.of(), "config")).isEqualTo(2);

        assertThat(err()).contains("Usage: testsync");
    }

    @Test
    void malformedConfigIsOneLineOnStderrAndExit1() throws IOException {
        Path file = Files.writeString(dir.resolve("configuration.json"), "{\"http_port\": 9104,}");

        assertThat(run(Map.of(), "-c", dir.toString())).isEqualTo(1);

        assertThat(err()).isEqualTo(file + ": malformed JSON at line 1, column 20: Unexpected character ('}'"
                + " (code 125)): was expecting double-quote to start field name; fix the JSON syntax there"
                + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void configFlagAlsoTakesTheEqualsForm() throws IOException {
        // Go's flag package, which the original used, accepts -c=./config as well as -c ./config.
        Path file = Files.writeString(dir.resolve("configuration.json"), "[]");

        assertThat(run(Map.of(), "-c=" + dir)).isEqualTo(1);

        assertThat(err()).startsWith(file + ": the top level must be a JSON object");
    }

    @Test
    void emptyConfigFlagIsOneLine() {
        assertThat(run(Map.of(), "-c", "")).isEqualTo(1);

        assertThat(err().lines().toList()).containsExactly(
                "-c: the value is empty; pass the directory that holds configuration.json or the file itself");
    }

    @Test
    void badEnvironmentVariableIsOneLineAndExit1() {
        assertThat(run(Map.of("TESTSYNC_HTTP_PORT", "abc"))).isEqualTo(1);

        assertThat(err().lines().toList()).containsExactly("environment variable TESTSYNC_HTTP_PORT (http_port) must be"
                + " a whole number from 1 to 65535, got \"abc\"; set e.g. TESTSYNC_HTTP_PORT=9104 or unset it");
    }

    @Test
    void unusableLogDirectoryIsOneLineNamingLoggingDir() throws IOException {
        Files.writeString(dir.resolve("not-a-dir"), "");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/configuration.json"), "{\"logging\": {\"dir\": \"not-a-dir/logs\"}}");

        assertThat(run(Map.of())).isEqualTo(1);

        assertThat(err().lines().toList()).singleElement().asString()
                .startsWith("logging.dir: cannot create the log directory " + dir.resolve("not-a-dir/logs"))
                .endsWith("; set logging.dir (or TESTSYNC_LOGGING_DIR) to a writable directory, or remove it to log"
                        + " to the console only");
    }

    @Test
    void logFileGetsIsoTimeLevelThreadLoggerAndMessage() throws Exception {
        Path logs = dir.resolve("logs");
        Logging.configure("INFO", logs);

        LoggerFactory.getLogger("io.testsync.server.Probe").info("hello file");
        Logging.configure("INFO", null);

        assertThat(Files.readAllLines(logs.resolve("test-sync.log"))).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[.+] Probe - hello file");
    }

    @Test
    void nettyAndVertxStayAtInfoWhenWeDebug() throws Exception {
        Logging.configure("DEBUG", null);

        Logger ours = LoggerFactory.getLogger("io.testsync.server.Probe");
        assertThat(ours.isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.netty.channel.Probe").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("io.vertx.core.Probe").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("io.vertx.core.Probe").isInfoEnabled()).isTrue();

        Logging.configure("ERROR", null);
        assertThat(LoggerFactory.getLogger("io.netty.channel.Probe").isInfoEnabled()).isFalse();
        assertThat(ours.isWarnEnabled()).isFalse();
    }

    @Test
    void realProcessWithBadConfigExits1WithOneLineAndNoStackTrace() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"http_port\": \"abc\"}");

        Process process = java(Main.class.getName(), "-c", bad.toString()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(stderr).containsExactly(bad + ": http_port must be a whole number from 1 to 65535, got \"abc\";"
                + " set it to e.g. 9104 or remove it to use the default");
        assertThat(stdout + stderr).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void sigtermStopsTheServerAndExits0() throws Exception {
        assertStopsOnSignal("TERM", "stop");
    }

    @Test
    void sigintStopsTheServerAndExits0() throws Exception {
        assertStopsOnSignal("INT", "stop");
    }

    @Test
    void aStopThatHangsStillEndsTheProcessWith0() throws Exception {
        assertStopsOnSignal("TERM", "hang");
    }

    private void assertStopsOnSignal(String signal, String mode) throws Exception {
        Process process = java(SignalProbe.class.getName(), mode).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("ready");

            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // Waited for before reading the rest (a few lines, well within the pipe's buffer): a signal
            // that never arrives fails the test in 20 s instead of blocking the read for ever.
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited within 20 s of SIG%s", signal).isTrue();
            List<String> rest = new ArrayList<>(lines.lines().toList());
            assertThat(process.exitValue()).isZero();
            assertThat(rest).contains("stop called");
            if (mode.equals("hang")) {
                assertThat(rest).anyMatch(line -> line.contains("stopping took longer than 500 ms; exiting anyway"));
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile());
    }

    /** A process with Main's signal handlers around a stop that returns ("stop") or never does ("hang"). */
    static final class SignalProbe {
        public static void main(String[] args) {
            boolean hang = args[0].equals("hang");
            Main.installSignalHandlers(() -> {
                System.out.println("stop called");
                System.out.flush();
                while (hang) {
                    LockSupport.park();
                }
            }, hang ? Duration.ofMillis(500) : Main.STOP_BUDGET);
            System.out.println("ready");
            System.out.flush();
            while (true) {
                LockSupport.park();
            }
        }
    }
}
