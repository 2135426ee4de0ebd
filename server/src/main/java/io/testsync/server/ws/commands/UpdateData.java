package io.testsync.server.ws.commands;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoreFaults;
import io.testsync.server.store.StoredData;
import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** {@code update_data}: the exact bytes of {@code content} become the run's data (SPEC §3). */
final class UpdateData implements Command {
    private static final String JSON = "application/json";
    private final DataStore store;
    private final int maxDataBytes;

    UpdateData(DataStore store, int maxDataBytes) {
        this.store = store;
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    public String name() {
        return "update_data";
    }

    @Override
    public CompletableFuture<Void> execute(Connection agent, Envelope e) {
        if (e.content() == null) {
            agent.error(e, ErrorCode.INVALID_ARGUMENT, "update_data needs a \"content\" value: the JSON value to store");
            return null;
        }
        byte[] bytes = e.content().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxDataBytes) {
            agent.error(e, ErrorCode.PAYLOAD_TOO_LARGE, "content is " + bytes.length
                    + " bytes; the data limit is " + maxDataBytes + " bytes (limits.max_data_bytes)");
            return null;
        }
        return agent.then(store.put(agent.testId(), new StoredData(bytes, JSON)), (done, failure) -> {
            if (failure != null) {
                StorageFailure.answer(agent, e, StoreFaults.Kind.WRITE, failure);
                return;
            }
            StoreFaults.recovered(StorageFailure.LOG, StoreFaults.Kind.WRITE);
            // v1: one reply per command, sent once the write is acknowledged (durable on sqlite)
            if (agent.v1()) agent.reply(e, "{\"stored\":true,\"bytes\":" + bytes.length + "}");
        });
    }
}
