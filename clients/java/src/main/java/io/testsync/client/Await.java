package io.testsync.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The blocking side of the {@code ...Async} methods, and argument checks they share. */
final class Await {
    private Await() {
    }

    /** The future's value; its failure rethrown as it is (a {@link TestSyncException} stays one). */
    static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    static TestSyncException interrupted() {
        return new TestSyncException(TestSyncException.INTERRUPTED, "", "interrupted while waiting for the server;"
                + " the command may still take effect there");
    }

    /** The failure inside the wrappers futures put around it. */
    static Throwable unwrapCause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    static RuntimeException unwrap(Throwable t) {
        t = unwrapCause(t);
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error err) throw err;
        return new TestSyncException(TestSyncException.UNKNOWN, "", t.toString(), 0, t);
    }

    /**
     * A timeout for the wire: null stays null (the server's default), zero is 0 (forever), anything
     * else is whole milliseconds rounded up, so 0.5 ms does not turn into "forever".
     */
    static Long millis(Duration d, String what) {
        if (d == null) return null;
        if (d.isNegative()) throw new IllegalArgumentException(what + " must not be negative, got " + d + "; Duration.ZERO waits forever");
        if (d.isZero()) return 0L;
        long ms = d.toMillis();
        return d.equals(Duration.ofMillis(ms)) ? ms : ms + 1;
    }

    static String name(String value, String what) {
        if (value == null) throw new IllegalArgumentException(what + " must not be null");
        if (value.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
        return value;
    }
}
