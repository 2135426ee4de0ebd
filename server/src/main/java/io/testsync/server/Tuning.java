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
 * @param idleTimeoutMs      an HTTP connection with no traffic either way for this long is closed; an
 *                           upgraded WebSocket no longer has this timeout (its pings and their deadline decide)
 * @param closeGraceMs       a WebSocket the server closes (1001, 1008, 1009, 1002, 1007, ...) keeps reading and
 *                           discarding for at most this long while the closing handshake finishes, then its TCP
 *                           connection is reset; below SPEC §7.1's 5 s, so the socket is gone within 5 s of the decision
 */
public record Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs,
                     long headTimeoutMs, long keepAliveTimeoutMs, long idleTimeoutMs, long closeGraceMs) {
    /** The close grace of SPEC timings: well inside the 5 s of §7.1, with room for a slow loop. */
    public static final long CLOSE_GRACE_MS = 3_000;
    public static final Tuning SPEC = new Tuning(10_000, 10_000, 30_000, 10_000, 60_000, 120_000, CLOSE_GRACE_MS);

    /** These timings with the SPEC close grace. */
    public Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs,
                  long headTimeoutMs, long keepAliveTimeoutMs, long idleTimeoutMs) {
        this(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, headTimeoutMs, keepAliveTimeoutMs, idleTimeoutMs, CLOSE_GRACE_MS);
    }

    /** The SPEC timings with other request and ping timings; connection timeouts as in SPEC. */
    public Tuning(long requestTimeoutMs, long pingIntervalMs, long pingTimeoutMs) {
        this(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, SPEC.headTimeoutMs, SPEC.keepAliveTimeoutMs, SPEC.idleTimeoutMs);
    }

    /** These timings with other connection timeouts. */
    public Tuning withConnectionTimeouts(long headTimeoutMs, long keepAliveTimeoutMs, long idleTimeoutMs) {
        return new Tuning(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, headTimeoutMs, keepAliveTimeoutMs, idleTimeoutMs, closeGraceMs);
    }

    /** These timings with another close grace (tests: a reset within a second, not three). */
    public Tuning withCloseGrace(long closeGraceMs) {
        return new Tuning(requestTimeoutMs, pingIntervalMs, pingTimeoutMs, headTimeoutMs, keepAliveTimeoutMs, idleTimeoutMs, closeGraceMs);
    }
}
