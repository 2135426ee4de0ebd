package io.testsync.server.runs;

import java.util.List;
import java.util.Map;

/**
 * What one run holds at one instant, read under its lock, for the management API (SPEC §10). Plain
 * values only: nothing in it refers back to live members, checkpoints or locks.
 *
 * @param testId         the run's identifier
 * @param lastActivityMs server unix ms of the run's latest change
 * @param members        the live members, in arrival order
 * @param checkpoints    waiting and completed checkpoints, in no particular order
 * @param counters       counter name to value
 * @param states         signal_entry state to the last seq handed out
 */
public record RunSnapshot(String testId, long lastActivityMs, List<MemberView> members, List<CheckpointView> checkpoints,
                          Map<String, Long> counters, Map<String, Long> states, List<TopicView> topics, List<LockView> locks) {

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
     * @param protocol      {@code testsync.v1}, or {@code seed} for the original protocol
     * @param connectedAtMs server unix ms of the upgrade
     */
    public record MemberView(String connection, String agent, String remote, String protocol, long connectedAtMs) {}

    /**
     * One checkpoint.
     *
     * @param joinedCount members counted: those waiting, or those released once complete
     * @param joined      connection ids of the members waiting (empty once complete)
     * @param deadlineMs  server unix ms of the timeout, null for none or once complete
     * @param startAt     the release's start_at once complete, else null
     */
    public record CheckpointView(String identifier, boolean complete, int target, int joinedCount,
                                 List<String> joined, Long deadlineMs, Long startAt) {}

    /** One topic: messages held for replay and live subscribers. */
    public record TopicView(String topic, int messages, int subscribers) {}

    /** A connection as a lock names it. */
    public record Holder(String connection, String agent) {}

    /** One lock: its holder (null while free), waiters in grant order, and the fence of its latest grant. */
    public record LockView(String name, Holder holder, List<Holder> waiting, long fence) {}
}
