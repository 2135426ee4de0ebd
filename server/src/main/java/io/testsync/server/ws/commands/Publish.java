package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** {@code publish}: appends a message to a topic; every subscriber receives the payload byte for byte (SPEC §9.3). */
final class Publish extends ToolkitCommand {
    private final int maxPayloadBytes;

    Publish(int maxPayloadBytes) {
        super("publish", "{\"topic\": string, \"payload\": any JSON value}");
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    CompletableFuture<Void> run(Connection agent, Envelope e, Content c) throws Content.Invalid {
        String topic = Answers.name(c, "topic");
        String payload = c.raw("payload");
        if (payload == null) throw new Content.Invalid("payload is missing: publish needs a \"payload\" (any JSON value; null is one)");
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            agent.error(e, ErrorCode.PAYLOAD_TOO_LARGE, "payload is " + bytes + " bytes; the limit is " + maxPayloadBytes
                    + " bytes (limits.max_payload_bytes); nothing was published");
            return null;
        }
        return agent.then(agent.run().publish(topic, payload), (outcome, failure) -> {
            if (!Answers.refused(agent, e, outcome, failure)) {
                agent.reply(e, Answers.opening("topic", topic) + ",\"seq\":" + outcome.value() + "}");
            }
        });
    }
}
