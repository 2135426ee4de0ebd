package io.testsync.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.runs.RecordingMember.LockNotice;
import io.testsync.server.runs.RecordingMember.Received;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of SPEC §9.3 and §9.4 on a fake clock and fake members, without sockets. */
class ToolkitRulesTest {
    static final long START = 1_700_000_000_000L;
    final FakeScheduler scheduler = new FakeScheduler(START);
    final RunRegistry registry = new RunRegistry(scheduler, new RunRegistry.Settings(500, 600_000, 10, 10, 10, 10, 2, 3, 2, 2, 2));
    final RecordingMember a = new RecordingMember("c1", "alice");
    final RecordingMember b = new RecordingMember("c2", "bob");
    final RecordingMember c = new RecordingMember("c3", "carol");

    Run attach(Member... members) {
        Run run = null;
        for (Member m : members) run = ((Attach.Attached) registry.attach("7", m)).run();
        return run;
    }

    @Test
    void entriesAreNumberedPerStateAndALeaverKeepsItsNumber() {
        Run run = attach(a, b);
        assertThat(run.signalEntry(a, "roles").value()).isEqualTo(1);
        registry.detach(run, a);
        assertThat(run.signalEntry(b, "roles").value()).isEqualTo(2);
        assertThat(run.signalEntry(b, "other").value()).isEqualTo(1);
        Outcome<Long> third = run.signalEntry(b, "third");
        assertThat(third.refusal()).isEqualTo(Outcome.Refusal.LIMIT_REACHED);
        assertThat(third.message()).isEqualTo("limit reached: limits.max_states_per_run is 2; nothing changed");
    }

    @Test
    void aCounterReadCreatesNothingAndARefusedStepChangesNothing() {
        Run run = attach(a);
        assertThat(run.counter(a, "x", 0).value()).isZero();
        assertThat(run.counter(a, "y", 0).value()).isZero();
        assertThat(run.counter(a, "z", 0).value()).isZero();
        assertThat(run.counter(a, "x", 4).value()).isEqualTo(4);
        assertThat(run.counter(a, "y", -1).value()).isEqualTo(-1);
        assertThat(run.counter(a, "z", 1).refusal()).isEqualTo(Outcome.Refusal.LIMIT_REACHED);
        assertThat(run.counter(a, "x", Tallies.MAX_MAGNITUDE).refusal()).isEqualTo(Outcome.Refusal.INVALID_ARGUMENT);
        assertThat(run.counter(a, "x", 0).value()).isEqualTo(4);
    }

    @Test
    void locksAreGrantedFirstComeFirstServedWithStrictlyGrowingFences() {
        Run run = attach(a, b, c);
        assertThat(run.lock(a, "acct", null, "1").value()).isEqualTo(1);
        assertThat(run.lock(b, "acct", null, "2").value()).isZero();
        assertThat(run.lock(c, "acct", null, "3").value()).isZero();
        assertThat(registry.locksHeld()).isEqualTo(1);
        assertThat(registry.lockWaiters()).isEqualTo(2);
        assertThat(run.unlock(a, "acct")).isTrue();
        assertThat(b.locks()).containsExactly(new LockNotice("acct", 2, "2"));
        assertThat(c.locks()).isEmpty();
        assertThat(run.unlock(b, "acct")).isTrue();
        assertThat(c.locks()).containsExactly(new LockNotice("acct", 3, "3"));
        assertThat(run.unlock(c, "acct")).isTrue();
        assertThat(run.lock(a, "acct", null, "4").value()).isEqualTo(4); // fences survive a free lock
        assertThat(registry.lockWaiters()).isZero();
    }

    @Test
    void aHolderClosingWhileOthersWaitHandsTheLockToTheNextAndAWaiterClosingLeavesTheLine() {
        Run run = attach(a, b, c);
        run.lock(a, "acct", null, "1");
        run.lock(b, "acct", 1000L, "2");
        run.lock(c, "acct", null, "3");
        registry.detach(run, b);                       // a waiter leaves: its timer is cancelled
        registry.detach(run, a);                       // the holder leaves: the next in line is c
        assertThat(c.locks()).containsExactly(new LockNotice("acct", 2, "3"));
        scheduler.advance(5000);
        assertThat(b.locks()).isEmpty();
        assertThat(registry.locksHeld()).isEqualTo(1);
        assertThat(registry.lockWaiters()).isZero();
    }

    @Test
    void aLockWaitTimesOutAndTheLineMovesOn() {
        Run run = attach(a, b, c);
        run.lock(a, "acct", null, "1");
        run.lock(b, "acct", 100L, "2");
        run.lock(c, "acct", 0L, "3");                  // 0 waits forever
        scheduler.advance(100);
        assertThat(b.locks()).containsExactly(new LockNotice("acct", 0, "2"));
        run.unlock(a, "acct");
        assertThat(c.locks()).containsExactly(new LockNotice("acct", 2, "3"));
        assertThat(run.lock(c, "acct", null, "4").refusal()).isEqualTo(Outcome.Refusal.INVALID_ARGUMENT);
        assertThat(run.lock(b, "other", null, "5").value()).isEqualTo(1);
        assertThat(run.lock(b, "third", null, "6").message()).isEqualTo("limit reached: limits.max_locks_per_run is 2; nothing changed");
    }

    @Test
    void aLateSubscriberGetsTheReplayAndThenLiveMessagesOnly() {
        Run run = attach(a, b);
        run.publish(a, "t", "1");
        run.publish(a, "t", "2");
        assertThat(run.subscribe(b, "t", 2, "s").value()).extracting(TopicMessage::seq).containsExactly(2L);
        run.publish(a, "t", "{\"k\": 3}");
        assertThat(b.messages()).containsExactly(new TopicMessage("t", 3, "{\"k\": 3}", START));
        assertThat(run.unsubscribe(b, "t")).isTrue();
        assertThat(run.publish(a, "t", "4").refusal()).isEqualTo(Outcome.Refusal.LIMIT_REACHED);
        assertThat(b.messages()).hasSize(1);
        assertThat(run.subscribe(a, "u", 1, null).accepted()).isTrue();
        assertThat(run.subscribe(a, "v", 1, null).message()).isEqualTo("limit reached: limits.max_topics_per_run is 2; nothing changed");
        assertThat(registry.topics()).isEqualTo(2);
    }

    @Test
    void aFailOnLeaveCheckpointReleasesTheRestWithParticipantLostNamingEveryone() {
        RecordingMember d = new RecordingMember("c4", "dave");
        Run run = attach(a, b, c, d);
        run.join(a, new CheckpointJoin("call", 4, 1000L, true), "ta");
        run.join(b, new CheckpointJoin("call", 4, null, false), "tb"); // the first join fixed fail_on_leave
        run.join(c, new CheckpointJoin("call", 4, null), "tc");
        scheduler.advance(10);
        registry.detach(run, b);
        Release expected = new Release("call", false, Release.PARTICIPANT_LOST, 2, 4, START + 10 + 500,
                List.of("bob"), List.of("alice", "carol"), List.of("dave"));
        assertThat(a.received()).containsExactly(new Received(expected, "ta"));
        assertThat(c.received()).containsExactly(new Received(expected, "tc"));
        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(registry.participantLostReleases()).isEqualTo(1);
        scheduler.advance(5000);                                  // its deadline was cancelled
        assertThat(a.received()).hasSize(1);
    }

    @Test
    void withoutFailOnLeaveALeaverJustStopsCounting() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("call", 3, null), "ta");
        run.join(b, new CheckpointJoin("call", 3, null), "tb");
        registry.detach(run, b);
        assertThat(a.received()).isEmpty();
        assertThat(run.joinedCount("call")).isEqualTo(1);
    }

    @Test
    void anOperatorReleaseSendsOperatorReleasedAndRemovesTheCheckpoint() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("call", 3, null), "ta");
        assertThat(run.releaseByOperator("call")).isEqualTo(1);
        assertThat(a.received()).containsExactly(new Received(new Release("call", false, Release.OPERATOR_RELEASED, 1, 3,
                START + 500, List.of(), List.of("alice"), List.of("bob")), "ta"));
        assertThat(run.releaseByOperator("call")).isEqualTo(-1);
        assertThat(registry.operatorReleases()).isEqualTo(1);
    }

    @Test
    void namesInAFailedReleaseStopAtOneHundred() {
        RunRegistry big = new RunRegistry(scheduler, new RunRegistry.Settings(500, 600_000, 10, 1000, 1000, 10));
        Run run = null;
        List<RecordingMember> members = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            RecordingMember m = new RecordingMember("c" + i, "n" + i);
            members.add(m);
            run = ((Attach.Attached) big.attach("big", m)).run();
        }
        for (int i = 0; i < 120; i++) run.join(members.get(i), new CheckpointJoin("x", 1000, 50L), null);
        scheduler.advance(50);
        Release r = members.get(0).received().get(0).release();
        assertThat(r.joined()).isEqualTo(120);
        assertThat(r.joinedAgents()).hasSize(100).startsWith("n0").endsWith("n99");
        assertThat(r.absentAgents()).hasSize(100).startsWith("n120").endsWith("n219");
    }
}
