package io.testsync.bench.proc;

import io.testsync.bench.load.Endpoint;
import io.testsync.testkit.ChildProcess;

/** A child server that answers /health: its process, where to reach it, and when it came up. */
public record Launched(ChildProcess process, Endpoint endpoint, long upAtNanos) implements AutoCloseable {

    /** From {@code java} being started to the first 200 of /health, in milliseconds. */
    public double startupMillis() {
        return (upAtNanos - process.startedNanos()) / 1e6;
    }

    /** SIGTERM, then up to 20 s for a clean exit (the server promises 15 s), then SIGKILL: stopped like a service. */
    @Override
    public void close() {
        try {
            process.stop(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.process().destroyForcibly();
        }
    }
}
