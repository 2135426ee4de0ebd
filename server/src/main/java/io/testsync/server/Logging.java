package io.testsync.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.testsync.server.config.ConfigException;
import io.testsync.server.config.IoReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Sets Logback up from the configuration: console always, {@code <logging.dir>/test-sync.log} when set. */
public final class Logging {

    static final String FILE_NAME = "test-sync.log";

    /** Libraries whose DEBUG output is noise; they log at INFO at most whatever the level. */
    private static final String[] QUIET = {"io.netty", "io.vertx", "io.micrometer"};

    private Logging() {
    }

    /**
     * Replaces the logging setup.
     *
     * @param level DEBUG, INFO, WARN or ERROR
     * @param dir   directory for test-sync.log (created when missing), or null for the console only
     * @throws ConfigException naming logging.dir when the directory or file cannot be written
     */
    public static void configure(String level, Path dir) throws ConfigException {
        Level rootLevel = Level.toLevel(level, null);
        if (rootLevel == null) {
            throw new ConfigException("logging.level must be one of DEBUG, INFO, WARN, ERROR, got \"" + level + "\"");
        }
        Path file = dir == null ? null : prepare(dir);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J backend was put on the class path on purpose: it configures itself
        }
        context.reset();
        apply(context, rootLevel, file);
    }

    /**
     * Console (and file) appenders writing {@link LogLine}s, libraries held at INFO. Also the setup before
     * configure() runs ({@link LogbackDefaults}): built in code because parsing a logback.xml costs
     * about 0.4 s of startup.
     */
    static void apply(LoggerContext context, Level rootLevel, Path file) throws ConfigException {
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel);
        for (String name : QUIET) {
            context.getLogger(name).setLevel(rootLevel.isGreaterOrEqual(Level.INFO) ? null : Level.INFO);
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        start(context, console, "console");
        root.addAppender(console);
        if (file != null) {
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setFile(file.toString());
            appender.setAppend(true);
            start(context, appender, "file");
            if (!appender.isStarted()) {
                throw new ConfigException("logging.dir: cannot open " + file + " for writing; set logging.dir"
                        + " (or TESTSYNC_LOGGING_DIR) to a writable directory, or remove it to log to the console only");
            }
            root.addAppender(appender);
        }
    }

    /** Writes out what is buffered and releases the log file; used right before the process exits. */
    public static void shutdown() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static Path prepare(Path dir) throws ConfigException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("logging.dir: cannot create the log directory " + dir + " ("
                    + IoReasons.describe(e) + "); set logging.dir (or TESTSYNC_LOGGING_DIR) to a writable"
                    + " directory, or remove it to log to the console only");
        }
        return dir.resolve(FILE_NAME);
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name) {
        LogLine encoder = new LogLine();
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
    }
}
