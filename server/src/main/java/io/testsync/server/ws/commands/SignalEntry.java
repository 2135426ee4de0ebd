package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;

import java.util.concurrent.CompletableFuture;

/** {@code signal_entry}: the agent's number for a state, 1, 2, 3… in the order the server took them (SPEC §9.3). */
final class SignalEntry extends ToolkitCommand {
    SignalEntry() {
        super("signal_entry", "{\"state\": string}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String state = Answers.name(c, "state");
        return agent.then(agent.run().signalEntry(state), (outcome, failure) -> {
            if (!Answers.refused(agent, e, outcome, failure)) {
                agent.reply(e, Answers.opening("state", state) + ",\"seq\":" + outcome.value() + "}");
            }
        });
    }
}
