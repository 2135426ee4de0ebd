package io.testsync.server.runs;

import java.util.List;

/**
 * The decision that ends a wait at a checkpoint, identical for every member (SPEC §4, §9.4). What
 * each member is told to wait ({@code start_in_ms}) is computed from {@link #startAt()} when its
 * frame is written.
 *
 * @param identifier    the checkpoint's identifier
 * @param finished      true when the target was reached
 * @param reason        {@link #COMPLETE}, {@link #TIMEOUT}, {@link #PARTICIPANT_LOST} or {@link #OPERATOR_RELEASED}
 * @param joined        members counted when the release was decided
 * @param target        the checkpoint's target count
 * @param startAt       server unix ms at which agents resume: the decision time plus the release lead
 * @param lost          for participant_lost: the agent whose connection closed; else empty
 * @param joinedAgents  for a release that is not complete: names of the members that had joined (at most 100)
 * @param absentAgents  for a release that is not complete: names of connected agents that had not joined (at most 100)
 */
public record Release(String identifier, boolean finished, String reason, int joined, int target, long startAt,
                      List<String> lost, List<String> joinedAgents, List<String> absentAgents) {
    public static final String COMPLETE = "complete";
    public static final String TIMEOUT = "timeout";
    public static final String PARTICIPANT_LOST = "participant_lost";
    public static final String OPERATOR_RELEASED = "operator_released";
    /** SPEC §9.4: at most this many names in each list. */
    public static final int MAX_NAMES = 100;

    public Release {
        lost = List.copyOf(lost);
        joinedAgents = List.copyOf(joinedAgents);
        absentAgents = List.copyOf(absentAgents);
    }

    /** A completed checkpoint's release: no names. */
    public static Release complete(String identifier, int joined, int target, long startAt) {
        return new Release(identifier, true, COMPLETE, joined, target, startAt, List.of(), List.of(), List.of());
    }
}
