package io.testsync.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the management API reads of a run (SPEC §10), and the operator's removal of a run. */
class SnapshotTest {
    static final long START = 1_700_000_000_000L;
    final FakeScheduler scheduler = new FakeScheduler(START);
    final RunRegistry registry = new RunRegistry(scheduler, new RunRegistry.Settings(500, 600_000, 10, 10, 10, 10));
    final RecordingMember a = new RecordingMember("c1", "alice");
    final RecordingMember b = new RecordingMember("c2", "bob");

    @Test
    void aSnapshotShowsEveryPartOfTheRun() {
        Run run = ((Attach.Attached) registry.attach("7", a)).run();
        registry.attach("7", b);
        run.join(a, new CheckpointJoin("login", 3, 1000L), null);
        run.join(a, new CheckpointJoin("solo", 1, null), null);
        run.counter(a, "users", 2);
        run.signalEntry(b, "roles");
        run.publish(a, "t", "1");
        run.subscribe(b, "t", 1, null);
        run.lock(a, "acct", null, null);
        run.lock(b, "acct", null, null);
        scheduler.advance(5);
        run.counter(a, "users", 0);

        RunSnapshot s = run.snapshot();
        MemberInfo alice = new MemberInfo("c1", "alice", null, null, 0, null);
        MemberInfo bob = new MemberInfo("c2", "bob", null, null, 0, null);
        assertThat(s.testId()).isEqualTo("7");
        assertThat(s.agents()).containsExactly(alice, bob);
        assertThat(s.checkpoints()).containsExactly(
                new RunSnapshot.CheckpointView("login", "waiting", 3, 1, List.of("alice"), List.of("bob"), false, START + 1000, null),
                new RunSnapshot.CheckpointView("solo", "complete", 1, 1, List.of(), List.of(), false, null, START + 500));
        assertThat(s.checkpointsWaiting()).isEqualTo(1);
        assertThat(s.counters()).isEqualTo(Map.of("users", 2L));
        assertThat(s.states()).isEqualTo(Map.of("roles", 1L));
        assertThat(s.topics()).containsExactly(new RunSnapshot.TopicView("t", 1, 1));
        assertThat(s.locks()).containsExactly(new RunSnapshot.LockView("acct", alice, List.of(bob), 1));
        assertThat(s.lastActivityMs()).isEqualTo(START + 5);
        assertThat(run.member("c2")).isSameAs(b);
        assertThat(run.member("c9")).isNull();
    }

    @Test
    void removingARunClosesItsConnectionsAndForgetsItsStateAtOnce() {
        Run run = ((Attach.Attached) registry.attach("7", a)).run();
        registry.attach("7", b);
        run.join(a, new CheckpointJoin("login", 3, 1000L), null);
        run.lock(a, "acct", null, null);
        run.lock(b, "acct", 1000L, null);
        run.publish(a, "t", "1");
        assertThat(registry.remove("7", 4001, "removed by operator")).isEqualTo(2);
        assertThat(a.closes()).containsExactly(4001);
        assertThat(b.closes()).containsExactly(4001);
        assertThat(registry.find("7")).isNull();
        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(registry.locksHeld()).isZero();
        assertThat(registry.lockWaiters()).isZero();
        assertThat(registry.topics()).isZero();
        // the closing connections leave the removed run: counts stay exact, nothing is granted
        registry.detach(run, a);
        registry.detach(run, b);
        assertThat(registry.connectionCount()).isZero();
        assertThat(b.locks()).isEmpty();
        scheduler.advance(5000);
        assertThat(a.received()).isEmpty();
        assertThat(registry.remove("7", 4001, "again")).isEqualTo(-1);
    }
}
