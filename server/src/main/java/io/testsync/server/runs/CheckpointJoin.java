package io.testsync.server.runs;

/**
 * A join at a checkpoint, validated (SPEC §4, §9.4): the only place where the ranges of a join's
 * arguments are checked. The message of the exception is the one agents read in their error frame.
 *
 * @param identifier  the checkpoint's name: non-empty, at most {@link #MAX_IDENTIFIER} characters
 * @param targetCount members that complete it, at least 1
 * @param timeoutMs   null = the configured default; 0 = wait forever
 * @param failOnLeave release everyone with participant_lost when a member's connection closes
 */
public record CheckpointJoin(String identifier, int targetCount, Long timeoutMs, boolean failOnLeave) {
    /** SPEC §4: an identifier (and every toolkit name, §9.3) has at most 256 characters. */
    public static final int MAX_IDENTIFIER = 256;

    public CheckpointJoin {
        Names.require("identifier", identifier);
        if (targetCount < 1) {
            throw new IllegalArgumentException("target_count must be an integer from 1 to " + Integer.MAX_VALUE
                    + " (got " + targetCount + ")");
        }
        if (timeoutMs != null && timeoutMs < 0) {
            throw new IllegalArgumentException("timeout_ms must be an integer >= 0 (0 waits forever; got " + timeoutMs + ")");
        }
    }

    /** A join without fail_on_leave. */
    public CheckpointJoin(String identifier, int targetCount, Long timeoutMs) {
        this(identifier, targetCount, timeoutMs, false);
    }
}
