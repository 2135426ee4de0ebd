package io.testsync.server.ws.commands;

import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;

import java.util.concurrent.CompletableFuture;

/** {@code close}: the server closes with 1000 after earlier replies (SPEC §3); in v1 the close frame is the reply. */
final class Close implements Command {
    @Override
    public String name() {
        return "close";
    }

    @Override
    public CompletableFuture<Void> execute(Connection agent, Envelope e) {
        agent.close(1000, "closed on request");
        return null;
    }
}
