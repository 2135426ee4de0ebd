package io.testsync.e2e;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs named steps one after another, each within its own time budget, and stops at the first
 * that fails. Steps bound their own waits by the {@link Deadline} they are given, so they can say
 * precisely what did not arrive; the runner's timeout is the backstop for a wait that was not.
 */
final class StepRunner implements AutoCloseable {

    /** A step's work. Throws {@link StepFailure} when the server did not do what the contract says. */
    @FunctionalInterface
    interface Body {
        void run(Deadline deadline) throws Exception;
    }

    /** The step that failed, and why. */
    static final class Failed extends Exception {
        private final String step;

        Failed(String step, String message) {
            super(message, null, false, false);
            this.step = step;
        }

        String step() {
            return step;
        }
    }

    /** Extra time past the budget before the runner gives up on a step that did not bound a wait itself. */
    private final Duration grace;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "e2e-step");
        t.setDaemon(true);
        return t;
    });
    private int passed;

    StepRunner() {
        this(Duration.ofSeconds(2));
    }

    StepRunner(Duration grace) {
        this.grace = grace;
    }

    /** Runs one step; returns when it passed. */
    void step(String name, Duration timeout, Body body) throws Failed {
        Deadline deadline = Deadline.after(timeout);
        Future<?> result = worker.submit(() -> {
            body.run(deadline);
            return null;
        });
        try {
            result.get(timeout.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new Failed(name, "no result within " + deadline.budget());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Failed(name, cause instanceof StepFailure ? cause.getMessage()
                    : "unexpected error: " + Problems.describe(cause));
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failed(name, "interrupted");
        }
        passed++;
    }

    /** How many steps passed so far. */
    int passed() {
        return passed;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
