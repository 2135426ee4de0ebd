package io.testsync.server.ops;

import io.testsync.server.store.DataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether storage answers ({@code /readyz}): the store's {@link DataStore#check()} within a time
 * bound. {@code /readyz} needs no credentials and a durable store's check commits a write, so a
 * flood of probes must not become a flood of writes: callers arriving while a check runs share it,
 * and a result is reused for {@code reuseMs}. In cluster mode the node must also hear the other nodes'
 * decisions (its pub/sub connection up), or it would serve agents it cannot release.
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final DataStore store;
    private final BooleanSupplier events;
    private final long timeoutMs;
    private final long reuseMs;
    private final LongSupplier clock;

    // guarded by this
    private CompletableFuture<Boolean> inFlight;
    private boolean checked;
    private boolean lastReady;
    private long lastAt;

    /**
     * @param timeoutMs a check that has not answered by then counts as not ready
     * @param reuseMs   how long a result answers later calls without checking again
     * @param clock     milliseconds, for the reuse window
     */
    public Readiness(DataStore store, long timeoutMs, long reuseMs, LongSupplier clock) {
        this(store, () -> true, timeoutMs, reuseMs, clock);
    }

    /** @param events whether the node hears the other nodes' decisions; not ready while it does not */
    public Readiness(DataStore store, BooleanSupplier events, long timeoutMs, long reuseMs, LongSupplier clock) {
        if (timeoutMs < 1) throw new IllegalArgumentException("timeoutMs must be at least 1, was " + timeoutMs);
        if (reuseMs < 0) throw new IllegalArgumentException("reuseMs must not be negative, was " + reuseMs);
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        this.timeoutMs = timeoutMs;
        this.reuseMs = reuseMs;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True when storage answered in time; never completes exceptionally. Completes on some store or timer thread. */
    public CompletableFuture<Boolean> check() {
        CompletableFuture<Boolean> result;
        synchronized (this) {
            if (inFlight != null) return inFlight;
            if (checked && clock.getAsLong() - lastAt < reuseMs) return CompletableFuture.completedFuture(lastReady);
            result = new CompletableFuture<>();
            inFlight = result;
        }
        CompletableFuture<Void> check;
        try {
            check = events.getAsBoolean() ? store.check()
                    : CompletableFuture.failedFuture(new IllegalStateException("the Redis pub/sub connection is down"));
        } catch (RuntimeException e) {
            check = CompletableFuture.failedFuture(e);
        }
        // orTimeout completes a copy, never the store's own future (which may be shared)
        check.thenApply(v -> v).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((v, failure) -> {
            boolean ready = failure == null;
            boolean changed;
            synchronized (this) {
                changed = checked ? lastReady != ready : !ready;
                checked = true;
                lastReady = ready;
                lastAt = clock.getAsLong();
                inFlight = null;
            }
            if (changed && !ready) {
                log.warn("not ready: the readiness check failed ({}); /readyz answers 503 until it succeeds", describe(failure));
            } else if (changed) {
                log.info("ready again: storage answers and, in cluster mode, Redis pub/sub is connected");
            }
            result.complete(ready);
        });
        return result;
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof java.util.concurrent.TimeoutException ? "no answer within " + timeoutMs + " ms" : cause.toString();
    }
}
