package io.testsync.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.runs.RecordingMember.Received;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines of SPEC §4: default, forever, counted from the first join, and reuse after a timeout. */
class CheckpointTimeoutTest {

    static final long START = 1_700_000_000_000L;
    static final long LEAD = 250;
    static final long DEFAULT_TIMEOUT = 5_000;

    final FakeScheduler scheduler = new FakeScheduler(START);
    final RunRegistry registry =
            new RunRegistry(scheduler, new RunRegistry.Settings(LEAD, DEFAULT_TIMEOUT, 100, 100, 1000, 100));
    final RecordingMember a = new RecordingMember("a");
    final RecordingMember b = new RecordingMember("b");
    final RecordingMember c = new RecordingMember("c");

    Run attach(Member... members) {
        Run run = null;
        for (Member m : members) {
            run = ((Attach.Attached) registry.attach("7", m)).run();
        }
        return run;
    }

    /** A timeout's release, naming who had joined and who, connected, had not (SPEC §9.4). */
    static Release timeout(String id, int joined, int target, long startAt, List<String> joinedAgents, List<String> absentAgents) {
        return new Release(id, false, Release.TIMEOUT, joined, target, startAt, List.of(), joinedAgents, absentAgents);
    }

    @Test
    void theDeadlinePassingFirstReleasesEveryMemberWithATimeoutAndRemovesTheCheckpoint() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 3, 1000L), "ta");
        scheduler.advance(400);
        run.join(b, new CheckpointJoin("login", 3, null), "tb");

        scheduler.advance(599);
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();

        scheduler.advance(1);
        Release expected = timeout("login", 2, 3, START + 1000 + LEAD, List.of("a", "b"), List.of("c"));
        assertThat(a.received()).containsExactly(new Received(expected, "ta"));
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        assertThat(c.received()).isEmpty();
        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void afterATimeoutTheIdentifierIsReusableWithANewTarget() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 3, 1000L), "ta");
        scheduler.advance(1000);
        assertThat(a.received()).hasSize(1);

        assertThat(run.join(b, new CheckpointJoin("login", 2, 1000L), "tb")).isEqualTo(JoinOutcome.WAITING);
        assertThat(run.join(c, new CheckpointJoin("login", 2, null), "tc")).isEqualTo(JoinOutcome.RELEASED);

        Release expected = Release.complete("login", 2, 2, START + 1000 + LEAD);
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        assertThat(c.received()).containsExactly(new Received(expected, "tc"));
        assertThat(a.received()).containsExactly(new Received(timeout("login", 1, 3, START + 1000 + LEAD, List.of("a"), List.of("b", "c")), "ta"));
        // The fresh checkpoint's own timer was cancelled on completion: nothing more ever arrives.
        scheduler.advance(10_000);
        assertThat(b.received()).hasSize(1);
    }

    @Test
    void aJoinWithoutTimeoutUsesTheDefaultFromSettings() {
        Run run = attach(a);
        run.join(a, new CheckpointJoin("login", 2, null), "ta");

        scheduler.advance(DEFAULT_TIMEOUT - 1);
        assertThat(a.received()).isEmpty();
        scheduler.advance(1);
        assertThat(a.received())
                .containsExactly(new Received(timeout("login", 1, 2, START + DEFAULT_TIMEOUT + LEAD, List.of("a"), List.of()), "ta"));
    }

    @Test
    void aTimeoutOfZeroWaitsForever() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("login", 2, 0L), "ta");
        assertThat(scheduler.scheduled()).isEmpty();

        scheduler.advance(366L * 24 * 3600 * 1000);
        assertThat(a.received()).isEmpty();
        assertThat(registry.waitingCheckpoints()).isEqualTo(1);

        assertThat(run.join(b, new CheckpointJoin("login", 2, null), "tb")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(a.received()).singleElement().satisfies(r -> assertThat(r.release().finished()).isTrue());
    }

    @Test
    void aDefaultOfZeroWaitsForever() {
        RunRegistry forever = new RunRegistry(scheduler, new RunRegistry.Settings(LEAD, 0, 10, 10, 10, 10));
        Run run = ((Attach.Attached) forever.attach("1", a)).run();
        run.join(a, new CheckpointJoin("login", 2, null), "ta");
        assertThat(scheduler.scheduled()).isEmpty();
        scheduler.advance(366L * 24 * 3600 * 1000);
        assertThat(a.received()).isEmpty();
    }

    @Test
    void theDeadlineCountsFromTheFirstJoinWhateverLaterJoinsAsk() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 3, 1000L), "ta");
        scheduler.advance(500);
        run.join(b, new CheckpointJoin("login", 3, 60_000L), "tb");
        scheduler.advance(499);
        run.join(b, new CheckpointJoin("login", 3, 0L), "tb-again");
        assertThat(scheduler.scheduled()).hasSize(1);

        scheduler.advance(1);
        Release expected = timeout("login", 2, 3, START + 1000 + LEAD, List.of("a", "b"), List.of("c"));
        assertThat(a.received()).containsExactly(new Received(expected, "ta"));
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        scheduler.advance(120_000);
        assertThat(b.received()).hasSize(1);
    }

    @Test
    void completionCancelsTheDeadline() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("login", 2, 1000L), "ta");
        FakeScheduler.Task deadline = scheduler.lastScheduled();
        run.join(b, new CheckpointJoin("login", 2, null), "tb");

        assertThat(deadline.cancelled()).isTrue();
        scheduler.advance(2000);
        assertThat(a.received()).singleElement().satisfies(r -> assertThat(r.release().reason()).isEqualTo("complete"));
    }

    @Test
    void aTimerThatFiresDespiteItsCancellationChangesNothing() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("login", 2, 1000L), "ta");
        FakeScheduler.Task deadline = scheduler.lastScheduled();
        run.join(b, new CheckpointJoin("login", 2, null), "tb");

        deadline.fire();            // a real timer may already be running when cancel() is called
        assertThat(a.received()).hasSize(1);
        assertThat(b.received()).hasSize(1);
        assertThat(registry.waitingCheckpoints()).isZero();
        // The completed checkpoint is still there, answering with its release.
        assertThat(run.join(a, new CheckpointJoin("login", 5, null), "again")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(a.received().get(1).release().finished()).isTrue();
    }

    @Test
    void aStaleTimerDoesNotTouchTheCheckpointThatReusedItsIdentifier() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 2, 1000L), "ta");
        FakeScheduler.Task first = scheduler.lastScheduled();
        registry.detach(run, a);            // last member left: checkpoint removed
        run.join(b, new CheckpointJoin("login", 2, 0L), "tb");  // a fresh one, waiting forever

        first.fire();
        assertThat(b.received()).isEmpty();
        assertThat(run.join(c, new CheckpointJoin("login", 2, null), "tc")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(b.received()).hasSize(1);
    }
}
