package io.testsync.server.ws.commands;

import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;
import io.testsync.server.ws.Frames;

import java.util.concurrent.CompletableFuture;

/** {@code get_connection_count}: the run's live connections, this one included (SPEC §3). */
final class GetConnectionCount implements Command {
    @Override
    public String name() {
        return "get_connection_count";
    }

    @Override
    public CompletableFuture<Void> execute(Connection agent, Envelope e) {
        return agent.then(agent.run().connectionCount(), (count, failure) -> {
            if (failure != null) Coordination.failed(agent, e, failure);
            else agent.sendText(Frames.connectionCount(e.id(), count));
        });
    }
}
