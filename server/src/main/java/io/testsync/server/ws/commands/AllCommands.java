package io.testsync.server.ws.commands;

import io.testsync.server.config.Config;
import io.testsync.server.store.DataStore;
import io.testsync.server.ws.CommandRegistry;

import java.util.List;

/** The protocol's commands, in the order the protocol documents them: the one list of them. */
public final class AllCommands {
    private AllCommands() {}

    public static CommandRegistry registry(DataStore store, Config config) {
        return new CommandRegistry(List.of(
                new ReadData(store),
                new UpdateData(store, config.limits().maxDataBytes()),
                new GetConnectionCount(),
                new WaitCheckpoint(),
                new SignalEntry(),
                new CounterCommand(),
                new Publish(config.toolkit().maxPayloadBytes()),
                new Subscribe(),
                new Unsubscribe(),
                new LockCommand(),
                new Unlock(),
                new Close()));
    }
}
