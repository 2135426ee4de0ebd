package io.testsync.server.retention;

import io.testsync.server.runs.Scheduler;

import java.util.ArrayList;
import java.util.List;

/** A clock the test moves, and timers it fires by hand: retention rules without waiting. */
final class ManualClock implements Scheduler {
    record Timer(long delayMs, Runnable task, boolean[] cancelled) implements Cancellable {
        @Override
        public void cancel() {
            cancelled[0] = true;
        }
    }

    long now;
    final List<Timer> timers = new ArrayList<>();

    ManualClock(long now) {
        this.now = now;
    }

    void advance(long ms) {
        now += ms;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayMs, Runnable task) {
        Timer t = new Timer(delayMs, task, new boolean[1]);
        timers.add(t);
        return t;
    }
}
