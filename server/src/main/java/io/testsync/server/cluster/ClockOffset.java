package io.testsync.server.cluster;

/**
 * How far Redis's clock ({@code TIME}) is ahead of this JVM's {@code System.currentTimeMillis()}.
 * Nodes of a cluster agree on Redis's clock, so a {@code start_at} taken from it means one instant
 * everywhere; each node converts with its own offset.
 *
 * @param offsetMs    Redis time minus local time, in milliseconds (negative when Redis is behind)
 * @param roundTripMs the round trip of the sample it was taken from: the offset is exact within half of it
 */
public record ClockOffset(long offsetMs, long roundTripMs) {

    /** The offset before any measurement. */
    public static final ClockOffset NONE = new ClockOffset(0, Long.MAX_VALUE);

    /** Local unix milliseconds turned into Redis's clock. */
    public long toRedis(long localMs) {
        return localMs + offsetMs;
    }

    /** Redis unix milliseconds turned into this JVM's clock. */
    public long toLocal(long redisMs) {
        return redisMs - offsetMs;
    }
}
