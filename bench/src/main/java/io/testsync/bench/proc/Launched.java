package io.testsync.bench.proc;

import io.testsync.bench.load.Endpoint;

/** A child server that answers /health: its process, where to reach it, and when it came up. */
public record Launched(ChildJvm process, Endpoint endpoint, long upAtNanos) implements AutoCloseable {

    /** From {@code java} being started to the first 200 of /health, in milliseconds. */
    public double startupMillis() {
        return (upAtNanos - process.startedNanos()) / 1e6;
    }

    @Override
    public void close() {
        process.close();
    }
}
