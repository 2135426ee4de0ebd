package io.testsync.server.runs;

import java.util.List;
import java.util.Map;

/**
 * One run as the management API shows it (SPEC §10), taken under the run's lock: a consistent
 * picture, plain values only.
 *
 * @param lastActivityMs server unix ms of the run's last activity
 */
public record RunSnapshot(String testId, List<MemberInfo> agents, List<CheckpointView> checkpoints,
                          Map<String, Long> counters, Map<String, Long> states, List<TopicView> topics,
                          List<LockView> locks, long lastActivityMs) {

    /**
     * @param state      "waiting" or "complete"
     * @param deadlineMs server unix ms at which a waiting checkpoint times out; null for none
     * @param startAt    set once it completed, else null
     */
    public record CheckpointView(String identifier, String state, int target, int joined, List<String> joinedAgents,
                                 List<String> absentAgents, boolean failOnLeave, Long deadlineMs, Long startAt) {}

    public record TopicView(String topic, int messages, int subscribers) {}

    /** @param holder null while the lock is free; waiting in the order they asked */
    public record LockView(String name, MemberInfo holder, List<MemberInfo> waiting, long fence) {}

    /** Checkpoints still waiting. */
    public long checkpointsWaiting() {
        return checkpoints.stream().filter(c -> c.state().equals("waiting")).count();
    }
}
