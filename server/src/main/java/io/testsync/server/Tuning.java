package io.testsync.server;

/**
 * Timings that SPEC fixes (10 s request bound, 10 s pings, 30 s pong deadline). Not configuration:
 * they exist as a value so integration tests can shorten them instead of waiting.
 */
public record Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs) {
    public static final Tuning SPEC = new Tuning(10_000, 10_000, 30_000);
}
