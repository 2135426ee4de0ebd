package io.testsync.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The {@code memory} backend: data lives as long as the process. Every future is already complete
 * when returned.
 *
 * <p>Arrays handed to {@link #create}/{@link #put} are copied, so a caller may reuse its buffer.
 * Arrays returned by {@link #get} are the stored ones, not copies (a 10 MiB copy per read of
 * 1000 agents would be waste): callers treat them as read-only, as they are never modified here.
 */
public final class MemoryStore implements DataStore {

    /**
     * The data and when it was written (retention). A write replaces the whole entry; a class, not a
     * record, because retention's conditional remove must compare identities, not contents.
     */
    private static final class Entry {
        final StoredData data;
        final long writtenAt;

        Entry(StoredData data, long writtenAt) {
            this.data = data;
            this.writtenAt = writtenAt;
        }
    }

    private final ConcurrentHashMap<String, Entry> data = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile boolean closed;

    public MemoryStore() {
        this(System::currentTimeMillis);
    }

    /** @param clock unix milliseconds, the write time retention compares with its cutoff (injected by tests) */
    public MemoryStore(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        Entry entry = data.get(testId);
        return CompletableFuture.completedFuture(entry == null ? Optional.empty() : Optional.of(entry.data));
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData value) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(value, "data");
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(data.putIfAbsent(testId, entry(value)) == null);
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData value) {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(value, "data");
        if (closed) return closedFuture();
        data.put(testId, entry(value));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        Objects.requireNonNull(testId, "testId");
        if (closed) return closedFuture();
        return CompletableFuture.completedFuture(data.remove(testId) != null);
    }

    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        Objects.requireNonNull(keep, "keep");
        if (closed) return closedFuture();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, Entry> e : data.entrySet()) {
            Entry entry = e.getValue();
            // remove(key, entry): a write since we looked replaced the entry, and then the run stays.
            if (entry.writtenAt < cutoffUnixMs && !keep.test(e.getKey()) && data.remove(e.getKey(), entry)) {
                removed.add(e.getKey());
            }
        }
        return CompletableFuture.completedFuture(removed);
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

    private Entry entry(StoredData value) {
        return new Entry(new StoredData(value.bytes().clone(), value.contentType()), clock.getAsLong());
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new StoreException("store is closed"));
    }
}
