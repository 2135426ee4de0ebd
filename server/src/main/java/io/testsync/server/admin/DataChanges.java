package io.testsync.server.admin;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoredData;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The store, telling the live page which runs' data changed (a write over HTTP or WebSocket, a
 * deletion, retention), so the data size it shows follows without polling. Reads pass through.
 */
public final class DataChanges implements DataStore {
    private final DataStore store;
    private volatile Consumer<String> listener = id -> { };

    public DataChanges(DataStore store) {
        this.store = store;
    }

    /** Where changed testIds go from now on; called after each acknowledged change, on any thread. */
    void listener(Consumer<String> listener) {
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        return store.get(testId);
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        return store.create(testId, data).thenApply(created -> {
            if (created) listener.accept(testId);
            return created;
        });
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        return store.put(testId, data).thenRun(() -> listener.accept(testId));
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        return store.delete(testId).thenApply(deleted -> {
            if (deleted) listener.accept(testId);
            return deleted;
        });
    }

    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        return store.removeIdle(cutoffUnixMs, keep).thenApply(removed -> {
            removed.forEach(listener);
            return removed;
        });
    }

    @Override
    public CompletableFuture<Void> check() {
        return store.check();
    }

    @Override
    public void close() {
        store.close();
    }
}
