package io.testsync.server.store;

/**
 * A storage operation that failed for a server-side reason (disk full, read-only file, I/O error,
 * store closed). Futures of {@link DataStore} complete exceptionally with it; the edges answer
 * {@code 500} / {@code internal_error}.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
