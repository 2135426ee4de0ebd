package io.testsync.server;

import io.testsync.server.runs.Scheduler;
import io.vertx.core.Vertx;

/** The real clock and Vert.x timers behind {@link Scheduler}. */
final class VertxScheduler implements Scheduler {
    private final Vertx vertx;

    VertxScheduler(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMs), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
