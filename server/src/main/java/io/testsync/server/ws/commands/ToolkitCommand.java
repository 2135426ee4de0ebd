package io.testsync.server.ws.commands;

import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.util.concurrent.CompletableFuture;

/** A toolkit command (SPEC §9.3): content is an object; a mistake in it is invalid_argument naming the field, and changes nothing. */
abstract class ToolkitCommand implements Command {
    private final String name;
    private final String shape;

    ToolkitCommand(String name, String shape) {
        this.name = name;
        this.shape = name + " needs content " + shape;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final CompletableFuture<Void> execute(Connection agent, Envelope e) {
        try {
            return run(agent, e, Content.parse(e.content(), shape));
        } catch (Content.Invalid invalid) {
            agent.error(e, ErrorCode.INVALID_ARGUMENT, invalid.getMessage());
            return null;
        }
    }

    /** Executes valid-shaped content; may still throw Invalid for a field's value. */
    abstract CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid;
}
