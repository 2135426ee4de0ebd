package io.testsync.server.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A store standing in for a failing or stalling disk in unit tests: every call the test does not
 * override throws, so a code path that touches more of the store than expected fails loudly.
 */
public abstract class UnusedStore implements DataStore {
    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        throw new UnsupportedOperationException("get is not used by this test");
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        throw new UnsupportedOperationException("create is not used by this test");
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        throw new UnsupportedOperationException("put is not used by this test");
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        throw new UnsupportedOperationException("delete is not used by this test");
    }

    @Override
    public CompletableFuture<Void> check() {
        throw new UnsupportedOperationException("check is not used by this test");
    }

    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        throw new UnsupportedOperationException("removeIdle is not used by this test");
    }

    @Override
    public void close() {
    }
}
