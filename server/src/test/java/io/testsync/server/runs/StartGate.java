package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts tasks on real threads at the same instant, to make races as likely as possible. */
final class StartGate {

    private StartGate() {
    }

    /**
     * Runs every task on its own pool thread, released together by one latch, and returns their
     * results in order. The pool needs at least as many threads as tasks.
     */
    static <T> List<T> runAtOnce(ExecutorService pool, List<Callable<T>> tasks) throws Exception {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        ready.await();
        go.countDown();
        List<T> results = new ArrayList<>(tasks.size());
        for (Future<T> future : futures) {
            // A bound only so that a dead-lock fails the test instead of hanging the build.
            results.add(future.get(2, TimeUnit.MINUTES));
        }
        return results;
    }

    /** Wraps an action without a result for {@link #runAtOnce}. */
    static Callable<Object> task(Runnable action) {
        return () -> {
            action.run();
            return null;
        };
    }
}
