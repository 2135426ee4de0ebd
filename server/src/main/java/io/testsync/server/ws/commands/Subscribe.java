package io.testsync.server.ws.commands;

import io.testsync.server.runs.TopicMessage;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.Frames;

import java.util.concurrent.CompletableFuture;

/**
 * {@code subscribe}: the reply, then every message from {@code from_seq} on — first those already
 * published (replay), then live ones — in seq order, without gaps or duplicates (SPEC §9.3).
 */
final class Subscribe extends ToolkitCommand {
    Subscribe() {
        super("subscribe", "{\"topic\": string, \"from_seq\": integer >= 1 (optional, default 1)}");
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String topic = Answers.name(c, "topic");
        Long from = c.integer("from_seq");
        if (from != null && from < 1) throw new Content.Invalid("from_seq must be an integer >= 1 (got " + from + ")");
        // The replay is written here, on this connection's loop, before any live message: those are
        // queued to this loop by whoever publishes, and run after this task.
        return agent.then(agent.run().subscribe(topic, from == null ? 1 : from, e.id()), (outcome, failure) -> {
            if (Answers.refused(agent, e, outcome, failure)) return;
            agent.reply(e, Answers.opening("topic", topic) + ",\"subscribed\":true}");
            for (TopicMessage m : outcome.value()) agent.sendText(Frames.message(e.id(), m));
        });
    }
}
