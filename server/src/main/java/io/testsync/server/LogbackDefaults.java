package io.testsync.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.testsync.server.config.ConfigException;

/** Logback's setup before the configuration is read: INFO to the console, found by Logback through ServiceLoader. */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        try {
            Logging.apply(context, Level.INFO, null);
        } catch (ConfigException impossible) { // only a log file can fail, and there is none here
            throw new IllegalStateException(impossible);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
