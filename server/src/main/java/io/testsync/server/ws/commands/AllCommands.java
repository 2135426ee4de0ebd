package io.testsync.server.ws.commands;

import io.testsync.server.store.DataStore;
import io.testsync.server.ws.CommandRegistry;

import java.util.List;

/** The protocol's commands, in the order the protocol documents them: the one list of them. */
public final class AllCommands {
    private AllCommands() {}

    public static CommandRegistry registry(DataStore store, int maxDataBytes) {
        return new CommandRegistry(List.of(
                new ReadData(store),
                new UpdateData(store, maxDataBytes),
                new GetConnectionCount(),
                new WaitCheckpoint(),
                new Close()));
    }
}
