package io.testsync.server.store;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the operations of one key one after another, in submission order, and operations of different
 * keys side by side. A backend whose commands travel over a pool of connections needs it: two
 * commands sent without waiting may otherwise overtake each other on different connections, and
 * the contract says changes apply in submission order.
 */
final class KeyedLanes {
    private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();

    /** Starts {@code operation} once every earlier operation of {@code key} has completed (either way). */
    <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        running.add(result);
        CompletableFuture<?> previous = tails.put(key, result);
        Runnable start = () -> {
            CompletableFuture<T> started;
            try {
                started = operation.get();
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, failure) -> {
                tails.remove(key, result);
                running.remove(result);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((value, failure) -> start.run());
        }
        return result;
    }

    /** Completes when every operation submitted so far has. */
    CompletableFuture<Void> drained() {
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }
}
