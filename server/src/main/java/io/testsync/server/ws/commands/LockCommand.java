package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.Frames;

import java.util.concurrent.CompletableFuture;

/**
 * {@code lock}: answered when granted (with its fence) or when the wait times out; waiters are
 * granted in the order they asked (SPEC §9.3).
 */
final class LockCommand extends ToolkitCommand {
    LockCommand() {
        super("lock", "{\"name\": string, \"timeout_ms\": integer >= 0 (optional; 0 waits forever)}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String name = Answers.name(c, "name");
        Long timeout = c.integer("timeout_ms");
        if (timeout != null && timeout < 0) throw new Content.Invalid("timeout_ms must be an integer >= 0 (0 waits forever; got " + timeout + ")");
        return agent.then(agent.run().lock(name, timeout, e.id()), (outcome, failure) -> {
            if (Answers.refused(agent, e, outcome, failure)) return;
            // 0: queued; the grant or the timeout is delivered to this member later
            if (outcome.value() > 0) agent.sendText(Frames.lockGranted(e.id(), name, outcome.value()));
        });
    }
}
