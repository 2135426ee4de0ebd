package io.testsync.server.ws.commands;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoreFaults;
import io.testsync.server.ws.Command;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;

import java.util.concurrent.CompletableFuture;

/** {@code read_data}: the run's data as one binary frame (SPEC §3), or in v1 as a text reply (SPEC §9.2). */
final class ReadData implements Command {
    private final DataStore store;

    ReadData(DataStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "read_data";
    }

    @Override
    public CompletableFuture<Void> execute(Connection agent, Envelope e) {
        return agent.then(store.get(agent.testId()), (data, failure) -> {
            if (failure != null) {
                StorageFailure.answer(agent, e, StoreFaults.Kind.READ, failure);
                return;
            }
            StoreFaults.recovered(StorageFailure.LOG, StoreFaults.Kind.READ);
            if (agent.v1()) agent.reply(e, V1Data.content(data.orElse(null)));
            else agent.sendBinary(data.isPresent() ? data.get().bytes() : new byte[0]);
        });
    }
}
