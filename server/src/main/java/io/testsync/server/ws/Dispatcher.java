package io.testsync.server.ws;

import io.testsync.server.metrics.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Parses one agent frame, counts it, and hands it to its {@link Command} (SPEC §3). */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Metric label of a command name the protocol lacks. */
    static final String UNKNOWN = "unknown";
    /** Metric label of a frame that is not an envelope. */
    static final String INVALID = "invalid";

    private final CommandRegistry registry;
    private final Map<String, Runnable> counted = new HashMap<>();
    private final Runnable unknown;
    private final Runnable invalid;

    Dispatcher(CommandRegistry registry, Recorder metrics) {
        this.registry = registry;
        for (String name : registry.names()) counted.put(name, metrics.wsCommand(name));
        this.unknown = metrics.wsCommand(UNKNOWN);
        this.invalid = metrics.wsCommand(INVALID);
    }

    /** Returns null when the command is finished, else a future completed (on the agent's loop) when it is. */
    CompletableFuture<Void> execute(Connection agent, String frame) {
        Envelope e;
        try {
            e = Envelope.parse(frame);
        } catch (Envelope.Invalid bad) {
            invalid.run();
            agent.sendText(Frames.error(bad.id(), ErrorCode.INVALID_MESSAGE.wire(), "", bad.getMessage()));
            return null;
        }
        if (log.isDebugEnabled()) log.debug("{}: {}", agent, e.command());
        Command command = registry.find(e.command());
        if (command == null) {
            unknown.run();
            agent.error(e, ErrorCode.UNKNOWN_COMMAND, "unknown command \"" + e.command() + "\"; " + registry.help());
            return null;
        }
        counted.get(command.name()).run();
        return command.execute(agent, e);
    }
}
