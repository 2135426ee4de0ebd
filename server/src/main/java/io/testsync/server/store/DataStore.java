package io.testsync.server.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Where the runs' data lives. One contract for every backend ({@code StoreContractTest}).
 *
 * <p>Every method answers with a future and never blocks its caller: the server calls these from
 * event loops. A future that completes exceptionally means a server fault (disk full, read-only
 * file...), never a user mistake; the edges turn it into {@code 500} / {@code internal_error}.
 * A future that completed normally means the change is acknowledged: for a durable backend it is
 * on disk.
 */
public interface DataStore extends AutoCloseable {

    /** The run's data, or empty when it has none. */
    CompletableFuture<Optional<StoredData>> get(String testId);

    /** Stores the data only when the run has none: {@code true} when stored, {@code false} (nothing changed) when data existed. */
    CompletableFuture<Boolean> create(String testId, StoredData data);

    /** Stores the data whether or not the run had some. */
    CompletableFuture<Void> put(String testId, StoredData data);

    /** Removes the run's data: {@code true} when there was some. */
    CompletableFuture<Boolean> delete(String testId);

    /**
     * Retention: removes the data of every run last written before {@code cutoffUnixMs}, except the
     * runs {@code keep} accepts, and answers their testIds.
     *
     * <p>Only the write time counts: a backend does not turn reads into writes to remember them, so
     * a caller that counts reads as activity tracks them itself and says so through {@code keep}.
     * {@code keep} is called with a testId on any thread and must not block. Data written at or
     * after the cutoff is never removed, even by a write racing with this call.
     */
    CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep);

    /**
     * Completes normally when the storage answers (readiness): it reads, and a durable backend also
     * commits a tiny write, so a locked, read-only or full database is not ready.
     */
    CompletableFuture<Void> check();

    /** Finishes every write already accepted, then releases files and threads. Idempotent. */
    @Override
    void close();
}
