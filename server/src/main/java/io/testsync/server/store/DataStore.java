package io.testsync.server.store;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

    /** Completes normally when the storage answers a trivial query (readiness). */
    CompletableFuture<Void> check();

    /** Finishes every write already accepted, then releases files and threads. Idempotent. */
    @Override
    void close();
}
