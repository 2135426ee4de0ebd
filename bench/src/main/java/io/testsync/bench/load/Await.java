package io.testsync.bench.load;

import io.vertx.core.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Blocks the bench's main thread (never an event loop) on an asynchronous result, with a bound. */
public final class Await {
    private Await() {
    }

    public static <T> T on(Future<T> future, long timeout, TimeUnit unit, String what) {
        return on(future.toCompletionStage().toCompletableFuture(), timeout, unit, what);
    }

    public static <T> T on(CompletableFuture<T> future, long timeout, TimeUnit unit, String what) {
        return on(future, timeout, unit, () -> what);
    }

    /** As above; the description is built only on failure, so it can say how far things got. */
    public static <T> T on(CompletableFuture<T> future, long timeout, TimeUnit unit, Supplier<String> describe) {
        try {
            return future.get(timeout, unit);
        } catch (TimeoutException e) {
            throw new IllegalStateException(describe.get() + ": no result within " + timeout + " " + unit.toString().toLowerCase());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(describe.get() + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(describe.get() + ": interrupted", e);
        }
    }
}
