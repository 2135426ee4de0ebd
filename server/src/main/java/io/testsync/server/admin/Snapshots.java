package io.testsync.server.admin;

import io.testsync.server.runs.MemberInfo;
import io.testsync.server.runs.RunSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turns a run's snapshot from {@code runs/} into the detail the management API shows, in display order. */
public final class Snapshots {
    private Snapshots() {}

    /** Waiting checkpoints first (those are what an operator looks for), then by identifier. */
    private static final Comparator<RunDetail.Checkpoint> CHECKPOINT_ORDER =
            Comparator.comparing(RunDetail.Checkpoint::complete).thenComparing(RunDetail.Checkpoint::identifier);

    /**
     * @param s    null when the run has data but no state in memory
     * @param node the node named for a connection whose info names none (this one's, on a single node)
     */
    public static RunDetail detail(String testId, RunSnapshot s, RunDetail.Data data, String node) {
        if (s == null) return new RunDetail(testId, List.of(), List.of(), Map.of(), Map.of(), List.of(), List.of(), data);
        // agents in the order they connected: the run keeps them so
        List<RunDetail.Agent> agents = new ArrayList<>(s.agents().size());
        for (MemberInfo m : s.agents()) {
            agents.add(new RunDetail.Agent(m.connection(), m.agent(), m.remote() == null ? "" : m.remote(),
                    m.protocol() == null ? "seed" : m.protocol(), m.connectedAtMs(), m.node() == null ? node : m.node()));
        }
        List<RunDetail.Checkpoint> checkpoints = new ArrayList<>(s.checkpoints().size());
        for (RunSnapshot.CheckpointView c : s.checkpoints()) {
            List<String> joined = new ArrayList<>(c.joinedAgents());
            joined.sort(null);
            checkpoints.add(new RunDetail.Checkpoint(c.identifier(), "complete".equals(c.state()), c.target(), c.joined(),
                    joined, c.deadlineMs(), c.startAt()));
        }
        checkpoints.sort(CHECKPOINT_ORDER);
        List<RunDetail.Topic> topics = new ArrayList<>(s.topics().size());
        for (RunSnapshot.TopicView t : s.topics()) topics.add(new RunDetail.Topic(t.topic(), t.messages(), t.subscribers()));
        List<RunDetail.Lock> locks = new ArrayList<>(s.locks().size());
        for (RunSnapshot.LockView l : s.locks()) {
            List<RunDetail.Holder> waiting = new ArrayList<>(l.waiting().size());
            for (MemberInfo w : l.waiting()) waiting.add(holder(w));
            locks.add(new RunDetail.Lock(l.name(), l.holder() == null ? null : holder(l.holder()), waiting, l.fence()));
        }
        return new RunDetail(testId, agents, checkpoints, s.counters(), s.states(), topics, locks, data);
    }

    private static RunDetail.Holder holder(MemberInfo m) {
        return new RunDetail.Holder(m.connection(), m.agent());
    }
}
