package io.testsync.server.admin;

import java.util.List;
import java.util.Map;

/**
 * One run in detail, as {@code GET /api/v1/runs/{testID}} shows it (SPEC §10). Plain values, in the
 * order they are shown.
 *
 * @param counters counter name to value
 * @param states   signal_entry state to the last seq handed out
 * @param data     the run's stored data, null when it has none
 */
public record RunDetail(String id, List<Agent> agents, List<Checkpoint> checkpoints, Map<String, Long> counters,
                        Map<String, Long> states, List<Topic> topics, List<Lock> locks, Data data) {

    /** A live connection of the run; {@code node} is the node that holds it (SPEC §11). */
    public record Agent(String connection, String agent, String remote, String protocol, long connectedAtMs, String node) {}

    /**
     * A checkpoint, waiting or complete.
     *
     * @param joined       members counted: waiting members, or those released when it completed
     * @param joinedAgents names of the members waiting now (empty once complete)
     * @param deadlineMs   when a waiting checkpoint times out, null for none
     * @param startAt      the release's start_at once complete, else null
     */
    public record Checkpoint(String identifier, boolean complete, int target, int joined, List<String> joinedAgents,
                             Long deadlineMs, Long startAt) {}

    /** A topic: messages held and live subscribers. */
    public record Topic(String topic, long messages, int subscribers) {}

    /** A connection as a lock names it. */
    public record Holder(String connection, String agent) {}

    /**
     * A lock.
     *
     * @param holder  null while free
     * @param waiting in the order they will be granted
     * @param fence   the fence of its latest grant
     */
    public record Lock(String name, Holder holder, List<Holder> waiting, long fence) {}

    /** The run's stored data: its size and content type. */
    public record Data(long bytes, String contentType) {}
}
