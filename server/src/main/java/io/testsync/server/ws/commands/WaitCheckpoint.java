package io.testsync.server.ws.commands;

import io.testsync.server.runs.CheckpointJoin;
import io.testsync.server.runs.JoinOutcome;
import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.util.concurrent.CompletableFuture;

/** {@code wait_checkpoint}: joins a named barrier; the release arrives when it completes or fails (SPEC §4, §9.4). */
final class WaitCheckpoint implements Command {
    static final String SHAPE = "wait_checkpoint needs content {\"identifier\": string, \"target_count\": integer >= 1, "
            + "\"timeout_ms\": integer >= 0 (optional), \"fail_on_leave\": boolean (optional)}";

    @Override
    public String name() {
        return "wait_checkpoint";
    }

    @Override
    public CompletableFuture<Void> execute(Connection agent, Envelope e) {
        CheckpointJoin join;
        try {
            join = parse(e.content());
        } catch (Content.Invalid | IllegalArgumentException invalid) {
            agent.error(e, ErrorCode.INVALID_ARGUMENT, invalid.getMessage());
            return null;
        }
        return agent.then(agent.run().join(join, e.id()), (outcome, failure) -> {
            if (failure != null) {
                Coordination.failed(agent, e, failure);
            } else if (outcome == JoinOutcome.LIMIT_REACHED) {
                agent.error(e, ErrorCode.LIMIT_REACHED,
                        "this run already holds the maximum number of checkpoints (limits.max_checkpoints_per_run)");
            }
        });
    }

    private static CheckpointJoin parse(String text) throws Content.Invalid {
        Content c = Content.parse(text, SHAPE);
        String identifier = c.string("identifier");
        Long target = c.integer("target_count");
        if (target == null) throw new Content.Invalid("target_count must be an integer from 1 to " + Integer.MAX_VALUE + " (it is missing)");
        if (target < 1 || target > Integer.MAX_VALUE) {
            throw new Content.Invalid("target_count must be an integer from 1 to " + Integer.MAX_VALUE + " (got " + target + ")");
        }
        return new CheckpointJoin(identifier, target.intValue(), c.integer("timeout_ms"), c.bool("fail_on_leave", false));
    }
}
