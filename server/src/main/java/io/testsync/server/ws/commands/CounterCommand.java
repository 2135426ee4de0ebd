package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;

import java.util.concurrent.CompletableFuture;

/** {@code counter}: adds to a run-wide counter atomically and answers its value (SPEC §9.3). */
final class CounterCommand extends ToolkitCommand {
    CounterCommand() {
        super("counter", "{\"name\": string, \"add\": integer (optional, default 0)}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String name = Answers.name(c, "name");
        Long add = c.integer("add");
        return agent.then(agent.run().counter(name, add == null ? 0 : add), (outcome, failure) -> {
            if (!Answers.refused(agent, e, outcome, failure)) {
                agent.reply(e, Answers.opening("name", name) + ",\"value\":" + outcome.value() + "}");
            }
        });
    }
}
