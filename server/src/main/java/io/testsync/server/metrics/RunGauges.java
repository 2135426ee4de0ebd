package io.testsync.server.metrics;

import io.testsync.server.runs.RunRegistry;

/** What the run gauges of {@code /metrics} read: this server's registry, or a cluster's state in Redis (SPEC §11). */
public interface RunGauges {
    long runs();

    long connections();

    long waitingCheckpoints();

    long topics();

    long locksHeld();

    long lockWaiters();

    /** The gauges of one server's own runs. */
    static RunGauges of(RunRegistry r) {
        return new RunGauges() {
            @Override public long runs() { return r.runCount(); }
            @Override public long connections() { return r.connectionCount(); }
            @Override public long waitingCheckpoints() { return r.waitingCheckpoints(); }
            @Override public long topics() { return r.topics(); }
            @Override public long locksHeld() { return r.locksHeld(); }
            @Override public long lockWaiters() { return r.lockWaiters(); }
        };
    }
}
