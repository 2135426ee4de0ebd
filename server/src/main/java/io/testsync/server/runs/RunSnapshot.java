package io.testsync.server.runs;

import java.util.List;

/**
 * What one run holds at one instant, read under its lock, for the management API (SPEC §10). Plain
 * values only: nothing in it refers back to live members or checkpoints.
 *
 * @param testId         the run's identifier
 * @param lastActivityMs server unix ms of the latest member arriving, leaving or joining a checkpoint
 * @param members        the live members, in no particular order
 * @param checkpoints    waiting and completed checkpoints, in no particular order
 */
public record RunSnapshot(String testId, long lastActivityMs, List<MemberView> members, List<CheckpointView> checkpoints) {

    /** Waiting checkpoints. */
    public int checkpointsWaiting() {
        int n = 0;
        for (CheckpointView c : checkpoints) if (!c.complete()) n++;
        return n;
    }

    /**
     * One live member.
     *
     * @param connection    the server-made connection id
     * @param agent         the agent's name
     * @param remote        the peer's address, {@code host:port}
     * @param protocol      the negotiated subprotocol, or {@code seed} for the original protocol
     * @param connectedAtMs server unix ms of the upgrade
     */
    public record MemberView(String connection, String agent, String remote, String protocol, long connectedAtMs) {}

    /**
     * One checkpoint.
     *
     * @param joined     connection ids of the members waiting (empty once complete)
     * @param deadlineMs server unix ms of the timeout, null for none or once complete
     * @param startAt    the release's start_at once complete, else null
     */
    public record CheckpointView(String identifier, boolean complete, int target, int joinedCount,
                                 List<String> joined, Long deadlineMs, Long startAt) {}
}
