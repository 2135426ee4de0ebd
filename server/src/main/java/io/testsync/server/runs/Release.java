package io.testsync.server.runs;

/**
 * The decision that ends a wait at a checkpoint, identical for every member (SPEC §4). What each
 * member is told to wait ({@code start_in_ms}) is computed from {@link #startAt()} when its frame is
 * written.
 *
 * @param identifier the checkpoint's identifier
 * @param finished   true when the target was reached, false on timeout
 * @param reason     {@link #COMPLETE} or {@link #TIMEOUT}
 * @param joined     members counted when the release was decided
 * @param target     the checkpoint's target count
 * @param startAt    server unix ms at which agents resume: the decision time plus the release lead
 */
public record Release(String identifier, boolean finished, String reason, int joined, int target, long startAt) {
    public static final String COMPLETE = "complete";
    public static final String TIMEOUT = "timeout";
}
