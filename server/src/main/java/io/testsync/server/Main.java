package io.testsync.server;

import io.testsync.server.config.Config;
import io.testsync.server.config.ConfigException;
import io.testsync.server.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The command line: {@code testsync [-c <dir|file>] [--move-corrupt-db-aside]}; configuration, logging, start, signals. */
public final class Main {

    /** {@link #run} result when the server is running: the process lives on until a signal stops it. */
    static final int RUNNING = -1;
    /** SPEC §1: exit 0 within 15 s of SIGTERM/SIGINT, even when stopping hangs. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    @Command(name = "testsync", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Shared data and checkpoints for the agents of a parallel test run.",
            footer = {"", "Every configuration key can also be set as TESTSYNC_<KEY> (dots as underscores, upper case),"
                    + " e.g. TESTSYNC_HTTP_PORT; the variable beats the file.",
                    "", "testsync ctl <runs | run ID | release ID CHECKPOINT | kick ID CONNECTION | delete ID>: watch and"
                    + " unstick the runs of a running server (ctl --help)."})
    static final class Options {
        @Option(names = "-c", paramLabel = "<dir|file>",
                description = "configuration: a directory holding configuration.json, or the file itself"
                        + " (default: ./config/configuration.json when present, else built-in defaults)")
        String config;

        @Option(names = "--move-corrupt-db-aside",
                description = "when storage.sqlite_path is corrupt or not SQLite, rename it aside and start with"
                        + " a new database instead of refusing to start")
        boolean moveCorruptDbAside;

        @Option(names = "--exit-after-start", hidden = true,
                description = "start on a free port, answer one GET /health, stop and exit (0 when the answer was 200):"
                        + " how the build records the class archive testsync.jsa")
        boolean exitAfterStart;
    }

    /** Prints {@code testsync <version>}. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"testsync " + Version.get()};
        }
    }

    public static void main(String[] args) {
        // Metrics, Vert.x and Netty load on another core while picocli, Logback and the configuration load
        // here ... except for `ctl`, which starts no server: it only makes HTTP requests.
        CompletableFuture<Boot> boot = args.length > 0 && "ctl".equals(args[0]) ? null : Boot.begin();
        int code = run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err, boot);
        if (code != RUNNING) {
            System.exit(code);
        }
        // The listeners live on Vert.x threads; main only keeps the JVM up until a signal handler exits it.
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException ignored) {
                // nothing to do: only a signal ends the process
            }
        }
    }

    /**
     * Everything up to a running server, testable in-process.
     *
     * @return the exit status for whatever ends before the server runs (0 help/version, 2 usage error,
     *         1 configuration or startup error), or {@link #RUNNING} once the server runs with signal handlers
     */
    static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
        return run(args, env, workingDir, out, err, null);
    }

    /** @param boot metrics and event loops begun early by {@code main}; null: created when the server starts */
    static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err,
                   CompletableFuture<Boot> boot) {
        if (args.length > 0 && "ctl".equals(args[0])) {
            // The operator's client (SPEC §10) talks to a running server; it starts none.
            return io.testsync.server.ctl.Ctl.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        Options options = new Options();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("testsync: " + oneLine(e.getMessage()));
            cli.usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return CommandLine.ExitCode.OK;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return CommandLine.ExitCode.OK;
        }
        TestSyncServer server;
        try {
            server = start(options, env, workingDir, boot);
        } catch (ConfigException e) {
            err.println(oneLine(e.getMessage()));
            return 1;
        } catch (RuntimeException | LinkageError e) {
            // Not a user mistake, but the user still gets one line; the trace is for whoever debugs it.
            LOG.debug("startup failed", e);
            err.println("testsync: failed to start: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
        if (options.exitAfterStart) return checkAndStop(server, err);
        installSignalHandlers(server::stop, STOP_BUDGET);
        return RUNNING;
    }

    private static int checkAndStop(TestSyncServer server, PrintStream err) {
        try {
            String status = StartCheck.health(server.httpPort());
            if (status.startsWith("HTTP/1.1 200 ")) return CommandLine.ExitCode.OK;
            err.println("testsync: GET /health answered " + status);
            return 1;
        } catch (java.io.IOException e) {
            err.println("testsync: GET /health failed: " + oneLine(e.toString()));
            return 1;
        } finally {
            server.stop();
        }
    }

    private static TestSyncServer start(Options options, Map<String, String> env, Path workingDir,
                                        CompletableFuture<Boot> boot) throws ConfigException {
        ConfigLoader.Loaded loaded = ConfigLoader.load(options.config, env, workingDir);
        Config config = loaded.config();
        Logging.configure(config.logLevel(), config.logDir());
        loaded.warnings().forEach(LOG::warn);
        if (config.credentials() == null) {
            LOG.warn("Authentication is OFF: no sync_client.username/password configured, so only clients on this"
                    + " machine (loopback addresses) are served and others get 403. To serve other hosts set"
                    + " sync_client.username and sync_client.password in the configuration (or"
                    + " TESTSYNC_SYNC_CLIENT_USERNAME and TESTSYNC_SYNC_CLIENT_PASSWORD).");
        }
        if (options.exitAfterStart) {
            config = config.withPorts(0, 0); // one listener on a free port: the check must not need a free 9104
        }
        if (options.moveCorruptDbAside) {
            Config.Storage s = config.storage();
            config = config.withStorage(s.withMoveAsideIfCorrupt(true));
        }
        TestSyncServer server = boot == null
                ? TestSyncServer.start(config)
                : TestSyncServer.start(config, Tuning.SPEC, boot);
        Config.Storage storage = config.storage();
        LOG.info("testsync {} listening: {}; storage {}{}; configuration {}", Version.get(), listeners(config, server),
                storage.type(), Config.Storage.SQLITE.equals(storage.type()) ? " " + storage.sqlitePath() : "",
                loaded.source() == null ? "built-in defaults" : loaded.source());
        return server;
    }

    private static String listeners(Config config, TestSyncServer server) {
        String host = config.bindAddress();
        if (config.singleListener()) {
            return "HTTP and WebSocket on " + host + ":" + server.httpPort();
        }
        return "HTTP on " + host + ":" + server.httpPort() + ", WebSocket on " + host + ":" + server.wsPort();
    }

    /**
     * SIGTERM/SIGINT stop the server and exit 0. A JVM shutdown hook would not do: the JVM exits 143/130
     * on those signals, which supervisors report as a crash. A watchdog halts with 0 if stopping (or another
     * library's shutdown hook) outlives the budget, so the process always ends in time.
     */
    static void installSignalHandlers(Runnable stop, Duration budget) {
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            // A second Ctrl-C while stopping changes nothing: the first one is already on it.
            if (stopping.compareAndSet(false, true)) {
                stopAndExit(signal, stop, budget);
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // The JVM keeps the signal for itself (-Xrs) or the OS lacks it: run on without that handler.
                LOG.warn("cannot handle SIG{} ({}); stopping on it will not be graceful", name, e.getMessage());
            }
        }
    }

    private static void stopAndExit(Signal signal, Runnable stop, Duration budget) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(budget.toMillis());
            } catch (InterruptedException ignored) {
                // halt anyway: the budget is the promise
            }
            LOG.warn("stopping took longer than {} ms; exiting anyway", budget.toMillis());
            Runtime.getRuntime().halt(0);
        }, "testsync-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        LOG.info("SIG{} received: stopping", signal.getName());
        try {
            stop.run();
            LOG.info("stopped");
        } catch (RuntimeException e) {
            LOG.error("stopping failed", e);
        }
        Logging.shutdown();
        System.exit(0);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
