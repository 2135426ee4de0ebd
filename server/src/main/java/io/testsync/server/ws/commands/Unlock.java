package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.util.concurrent.CompletableFuture;

/** {@code unlock}: releases a lock this connection holds; the next waiter is granted (SPEC §9.3). */
final class Unlock extends ToolkitCommand {
    Unlock() {
        super("unlock", "{\"name\": string}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String name = Answers.name(c, "name");
        return agent.then(agent.run().unlock(name), (done, failure) -> {
            if (failure != null) Coordination.failed(agent, e, failure);
            else if (!done) agent.error(e, ErrorCode.INVALID_ARGUMENT, "this connection does not hold lock " + name);
            else agent.reply(e, Answers.opening("name", name) + ",\"released\":true}");
        });
    }
}
