package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A settable clock and a timer that fires only when the test advances time: rules are tested without waiting. */
final class FakeScheduler implements Scheduler {

    /** One scheduled task; a race test may run it from a thread of its own, as a real timer would. */
    static final class Task implements Cancellable {
        final long dueAt;
        private final Runnable body;
        private volatile boolean cancelled;

        Task(long dueAt, Runnable body) {
            this.dueAt = dueAt;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }

        /** Fires the task the way a timer that missed the cancellation would: cancelled or not. */
        void fire() {
            body.run();
        }
    }

    private final AtomicLong now;
    private final List<Task> tasks = new ArrayList<>();

    FakeScheduler(long startMs) {
        this.now = new AtomicLong(startMs);
    }

    @Override
    public long now() {
        return now.get();
    }

    void setNow(long ms) {
        now.set(ms);
    }

    @Override
    public synchronized Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now.get() + delayMs, task);
        tasks.add(t);
        return t;
    }

    /**
     * Moves the clock forward and runs, in due order, every task that is due and not cancelled. Tasks
     * run outside this object's monitor: they take run locks, and a join holding a run lock schedules.
     */
    void advance(long ms) {
        long target = now.get() + ms;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> t.dueAt <= target)
                        .min(Comparator.comparingLong(t -> t.dueAt))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
            }
            now.set(Math.max(now.get(), next.dueAt));
            if (!next.cancelled()) {
                next.fire();
            }
        }
        now.set(target);
    }

    /** Tasks scheduled and neither run nor cancelled. */
    synchronized List<Task> pending() {
        return tasks.stream().filter(t -> !t.cancelled()).toList();
    }

    /** Every task scheduled so far that has not been run by advance, cancelled ones included. */
    synchronized List<Task> scheduled() {
        return List.copyOf(tasks);
    }

    synchronized Task lastScheduled() {
        return tasks.get(tasks.size() - 1);
    }
}
