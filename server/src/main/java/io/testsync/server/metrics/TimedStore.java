package io.testsync.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoredData;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A store whose writes are timed from submission to acknowledgement, and counted when they fail.
 * A decorator, so that no backend depends on the metrics library; reads pass through untouched.
 */
final class TimedStore implements DataStore {
    private final DataStore delegate;
    private final Timer create;
    private final Timer put;
    private final Timer delete;
    private final Counter createFailed;
    private final Counter putFailed;
    private final Counter deleteFailed;

    TimedStore(DataStore delegate, Function<String, Timer> timer, Function<String, Counter> failures) {
        this.delegate = delegate;
        this.create = timer.apply("create");
        this.put = timer.apply("put");
        this.delete = timer.apply("delete");
        this.createFailed = failures.apply("create");
        this.putFailed = failures.apply("put");
        this.deleteFailed = failures.apply("delete");
    }

    @Override
    public CompletableFuture<Optional<StoredData>> get(String testId) {
        return delegate.get(testId);
    }

    @Override
    public CompletableFuture<Boolean> create(String testId, StoredData data) {
        long start = System.nanoTime();
        return timed(delegate.create(testId, data), start, create, createFailed);
    }

    @Override
    public CompletableFuture<Void> put(String testId, StoredData data) {
        long start = System.nanoTime();
        return timed(delegate.put(testId, data), start, put, putFailed);
    }

    @Override
    public CompletableFuture<Boolean> delete(String testId) {
        long start = System.nanoTime();
        return timed(delegate.delete(testId), start, delete, deleteFailed);
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

    /** Records when the write completes; returns the delegate's own future, so callers see exactly what the store answered. */
    private static <T> CompletableFuture<T> timed(CompletableFuture<T> write, long start, Timer timer, Counter failures) {
        if (write.isDone()) {
            record(write.isCompletedExceptionally(), start, timer, failures);
        } else {
            write.whenComplete((value, failure) -> record(failure != null, start, timer, failures));
        }
        return write;
    }

    private static void record(boolean failed, long start, Timer timer, Counter failures) {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (failed) failures.increment();
    }
}
