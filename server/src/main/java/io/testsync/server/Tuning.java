package io.testsync.server;

/**
 * Timings that SPEC fixes (10 s request bound, 10 s pings, 30 s pong deadline) and the connection
 * timeouts against slow or silent clients. Not configuration: they exist as a value so integration
 * tests can shorten them instead of waiting.
 *
 * @param requestTimeoutMs   a data request must be answered within this (SPEC §2: else 503)
 * @param pingIntervalMs     how often every WebSocket is pinged
 * @param pingTimeoutMs      a WebSocket silent this long is closed
 * @param headTimeoutMs      a new connection must have sent a whole request head within this (slowloris)
 * @param keepAliveTimeoutMs after an answer, the next request head on the same connection must be
 *                           complete within this, else the connection is closed
 * @param idleTimeoutMs      a connection with no traffic either way for this long is closed; above the
 *                           ping interval, so a WebSocket agent (pinged every 10 s) never reaches it
 */
public record Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs,
                     long headTimeoutMs, long keepAliveTimeoutMs, long idleTimeoutMs) {
    public static final Tuning SPEC = new Tuning(10_000, 10_000, 30_000, 10_000, 60_000, 120_000);

    /** The SPEC timings with other request and ping timings; connection timeouts as in SPEC. */
    public Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs) {
        this(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, SPEC.headTimeoutMs, SPEC.keepAliveTimeoutMs, SPEC.idleTimeoutMs);
    }

    /** These timings with other connection timeouts. */
    public Tuning withConnectionTimeouts(long headTimeoutMs, long keepAliveTimeoutMs, long idleTimeoutMs) {
        return new Tuning(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, headTimeoutMs, keepAliveTimeoutMs, idleTimeoutMs);
    }
}
