package io.testsync.server.ws;

import java.util.concurrent.CompletableFuture;

/**
 * One command of the protocol (SPEC §3, §9). A new command is one implementation in
 * {@code ws/commands/} plus its rule in {@code runs/}; the dispatcher, the metrics labels, the
 * unknown-command help and PROTOCOL.md's list all come from the {@link CommandRegistry}.
 */
public interface Command {

    /** The name agents send in the envelope's {@code command} field. */
    String name();

    /**
     * Executes one envelope of this command on the connection's event loop.
     *
     * @return null when the command is finished, else a future completed (on the connection's loop)
     *         when it is; the connection's next command waits for it
     */
    CompletableFuture<Void> execute(Connection connection, Envelope envelope);
}
