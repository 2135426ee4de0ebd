package io.testsync.server.ws;

import io.testsync.server.metrics.Recorder;
import io.testsync.server.metrics.WsCommand;
import io.testsync.server.runs.JoinOutcome;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoreFaults;
import io.testsync.server.store.StoredData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Executes one agent frame (SPEC §3, §4) and answers on the agent's connection. */
final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    private static final String JSON = "application/json";

    private final DataStore store;
    private final int maxDataBytes;
    private final Recorder metrics;

    Commands(DataStore store, int maxDataBytes, Recorder metrics) {
        this.store = store;
        this.maxDataBytes = maxDataBytes;
        this.metrics = metrics;
    }

    /** Returns null when the command is finished, else a future completed (on the agent's loop) when it is. */
    CompletableFuture<Void> execute(AgentSocket agent, String frame) {
        Envelope e;
        try {
            e = Envelope.parse(frame);
        } catch (Envelope.Invalid invalid) {
            metrics.wsCommand(WsCommand.INVALID);
            agent.sendText(Frames.error(invalid.id(), ErrorCode.INVALID_MESSAGE.wire(), "", invalid.getMessage()));
            return null;
        }
        if (log.isDebugEnabled()) log.debug("{}: {}", agent, e.command());
        metrics.wsCommand(WsCommand.of(e.command()));
        switch (e.command()) {
            case "read_data":
                return agent.then(store.get(agent.testId()), (data, failure) -> {
                    if (failure != null) {
                        storeFailed(agent, e, failure);
                    } else {
                        StoreFaults.recovered(log, StoreFaults.Kind.READ);
                        agent.sendBinary(data.isPresent() ? data.get().bytes() : new byte[0]);
                    }
                });
            case "update_data":
                return updateData(agent, e);
            case "get_connection_count":
                agent.sendText(Frames.connectionCount(e.id(), agent.run().connectionCount()));
                return null;
            case "wait_checkpoint":
                waitCheckpoint(agent, e);
                return null;
            case "close":
                agent.close(1000, "closed on request");
                return null;
            default:
                error(agent, e, ErrorCode.UNKNOWN_COMMAND, "unknown command \"" + e.command()
                        + "\"; commands are read_data, update_data, get_connection_count, wait_checkpoint, close");
                return null;
        }
    }

    private CompletableFuture<Void> updateData(AgentSocket agent, Envelope e) {
        if (e.content() == null) {
            error(agent, e, ErrorCode.INVALID_ARGUMENT, "update_data needs a \"content\" value: the JSON value to store");
            return null;
        }
        byte[] bytes = e.content().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxDataBytes) {
            error(agent, e, ErrorCode.PAYLOAD_TOO_LARGE, "content is " + bytes.length
                    + " bytes; the data limit is " + maxDataBytes + " bytes (limits.max_data_bytes)");
            return null;
        }
        return agent.then(store.put(agent.testId(), new StoredData(bytes, JSON)), (done, failure) -> {
            if (failure != null) storeFailed(agent, e, failure);
            else StoreFaults.recovered(log, StoreFaults.Kind.WRITE);
        });
    }

    private void waitCheckpoint(AgentSocket agent, Envelope e) {
        CheckpointArgs args;
        try {
            args = CheckpointArgs.parse(e.content());
        } catch (CheckpointArgs.Invalid invalid) {
            error(agent, e, ErrorCode.INVALID_ARGUMENT, invalid.getMessage());
            return;
        }
        JoinOutcome outcome = agent.run().join(agent, args.identifier(), args.targetCount(), args.timeoutMs(), e.id());
        if (outcome == JoinOutcome.LIMIT_REACHED) {
            error(agent, e, ErrorCode.LIMIT_REACHED, "this run already holds the maximum number of checkpoints (limits.max_checkpoints_per_run)");
        }
    }

    private static void storeFailed(AgentSocket agent, Envelope e, Throwable failure) {
        StoreFaults.Kind kind = "read_data".equals(e.command()) ? StoreFaults.Kind.READ : StoreFaults.Kind.WRITE;
        StoreFaults.report(log, kind, e.command() + " of run " + agent.testId(), failure);
        error(agent, e, ErrorCode.INTERNAL_ERROR, "storage failed; the command was not applied");
    }

    private static void error(AgentSocket agent, Envelope e, ErrorCode code, String message) {
        agent.sendText(Frames.error(e.id(), code.wire(), e.command(), message));
    }
}
