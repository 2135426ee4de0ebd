package io.testsync.server.retention;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoredData;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A store that tells {@link Activity} about every use of a run's data: a read that found data, a
 * create, a put. A read of a run without data records nothing, so probing random IDs cannot grow
 * the map. A decorator, so the backends stay as they are.
 */
public final class ActivityStore implements DataStore {
    private final DataStore delegate;
    private final Activity activity;

    public ActivityStore(DataStore delegate, Activity activity) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        CompletableFuture<Optional<StoredData>> read = delegate.get(testId);
        if (read.isDone()) { // the memory backend: no dependent stage to allocate
            if (!read.isCompletedExceptionally() && read.join().isPresent()) activity.used(testId);
            return read;
        }
        read.thenAccept(data -> {
            if (data.isPresent()) activity.used(testId);
        });
        return read;
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        activity.used(testId);
        return delegate.create(testId, data);
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        activity.used(testId);
        return delegate.put(testId, data);
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        CompletableFuture<Boolean> deleted = delegate.delete(testId);
        activity.forget(testId);
        return deleted;
    }

    @Override
    public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
        return delegate.removeIdle(cutoffUnixMs, keep);
    }

    @Override
    public CompletableFuture<Void> check() {
        return delegate.check();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
