package io.testsync.server.store;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code memory} backend: data lives as long as the process. Every future is already complete
 * when returned.
 *
 * <p>Arrays handed to {@link #create}/{@link #put} are copied, so a caller may reuse its buffer.
 * Arrays returned by {@link #get} are the stored ones, not copies (a 10 MiB copy per read of
 * 1000 agents would be waste): callers treat them as read-only, as they are never modified here.
 */
public final class MemoryStore implements DataStore {

    private final ConcurrentHashMap<String, StoredData> data = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(Optional.ofNullable(data.get(testId)));
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData value) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(value, "data");
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(data.putIfAbsent(testId, copy(value)) == null);
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData value) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(value, "data");
        if (closed) return closedFuture();
        data.put(testId, copy(value));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(data.remove(testId) != null);
    }

    @Override
    public CompletableFuture<Void> check() {
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(null);
    }

    /** Later calls fail with {@link StoreException}, like the durable backend, so the contract is one. */
    @Override
    public void close() {
        closed = true;
        data.clear();
    }

    private static StoredData copy(StoredData value) {
        return new StoredData(value.bytes().clone(), value.contentType());
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new StoreException("store is closed"));
    }
}
