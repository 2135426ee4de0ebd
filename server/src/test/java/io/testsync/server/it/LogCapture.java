package io.testsync.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what one logger logs while a test runs, to assert on the server's WARN lines. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    /** Captures the logger of that name (the server's loggers are named after their classes). */
    static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.add(event);
    }

    /** The formatted messages logged at {@code level}. */
    List<String> messages(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** When the first event at {@code level} whose message contains {@code text} was logged (epoch ms); null while there is none. */
    Long timeOf(Level level, String text) {
        return events.stream().filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text))
                .map(ILoggingEvent::getTimeStamp).findFirst().orElse(null);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
