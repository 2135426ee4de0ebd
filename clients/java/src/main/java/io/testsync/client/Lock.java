package io.testsync.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A granted lock (SPEC §9.3), held until {@link #close()} or until this connection ends (the server
 * then grants it to the next waiter). {@link #fence()} grows with every grant of the lock: pass it to
 * whatever the lock protects so a late former holder can be told apart.
 */
public final class Lock implements AutoCloseable {
    private final Connection connection;
    private final String name;
    private final long fence;
    private final AtomicBoolean released = new AtomicBoolean();

    Lock(Connection connection, String name, long fence) {
        this.connection = connection;
        this.name = name;
        this.fence = fence;
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** The fencing token of this grant: larger than that of every earlier grant of the lock. */
    public long fence() {
        return fence;
    }

    /** Unlocks and waits for the server's confirmation. Idempotent; after a connection loss there is nothing to unlock. */
    @Override
    public void close() {
        Await.result(unlockAsync());
    }

    /** {@link #close()} without blocking. */
    public CompletableFuture<Void> unlockAsync() {
        if (!released.compareAndSet(false, true) || connection.endedBy() != null) return CompletableFuture.completedFuture(null);
        long id = connection.nextId();
        return connection.request("unlock", id, Outbound.frame("unlock", id, Outbound.name("name", name)))
                .handle((in, e) -> {
                    if (e == null) {
                        Replies.confirm(in.content(), "released");
                        return null;
                    }
                    Throwable t = Await.unwrapCause(e);
                    // the server releases the locks of a closed connection itself
                    if (t instanceof ConnectionLostException
                            || t instanceof TestSyncException ts && TestSyncException.CLOSED.equals(ts.code())) return null;
                    throw Await.unwrap(t);
                });
    }

    @Override
    public String toString() {
        return "Lock[" + name + ", fence " + fence + "]";
    }
}
