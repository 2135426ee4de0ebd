package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.util.concurrent.CompletableFuture;

/** {@code unsubscribe}: no message of the topic follows the reply (SPEC §9.3). */
final class Unsubscribe extends ToolkitCommand {
    Unsubscribe() {
        super("unsubscribe", "{\"topic\": string}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String topic = Answers.name(c, "topic");
        return agent.then(agent.run().unsubscribe(topic), (done, failure) -> {
            if (failure != null) Coordination.failed(agent, e, failure);
            else if (!done) agent.error(e, ErrorCode.INVALID_ARGUMENT, "this connection does not subscribe to topic " + topic);
            else agent.reply(e, Answers.opening("topic", topic) + ",\"unsubscribed\":true}");
        });
    }
}
