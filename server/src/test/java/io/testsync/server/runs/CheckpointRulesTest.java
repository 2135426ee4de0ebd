package io.testsync.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.testsync.server.runs.RecordingMember.Received;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The barrier rules of SPEC §4 that do not involve a deadline, with a fake clock and recording members. */
class CheckpointRulesTest {

    static final long START = 1_700_000_000_000L;
    static final long LEAD = 500;

    final FakeScheduler scheduler = new FakeScheduler(START);
    final RunRegistry registry = new RunRegistry(scheduler, new RunRegistry.Settings(LEAD, 600_000, 100, 100, 1000, 3));
    final RecordingMember a = new RecordingMember("a");
    final RecordingMember b = new RecordingMember("b");
    final RecordingMember c = new RecordingMember("c");
    final RecordingMember d = new RecordingMember("d");

    Run attach(Member... members) {
        Run run = null;
        for (Member m : members) {
            run = ((Attach.Attached) registry.attach("42", m)).run();
        }
        return run;
    }

    static Release complete(String id, int joined, int target, long startAt) {
        return Release.complete(id, joined, target, startAt);
    }

    @Test
    void reachingTheTargetReleasesEveryMemberOnceWithItsOwnToken() {
        Run run = attach(a, b, c);
        assertThat(run.join(a, new CheckpointJoin("login", 3, null), "ta")).isEqualTo(JoinOutcome.WAITING);
        scheduler.advance(10);
        assertThat(run.join(b, new CheckpointJoin("login", 3, null), "7")).isEqualTo(JoinOutcome.WAITING);
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();

        scheduler.advance(10);
        assertThat(run.join(c, new CheckpointJoin("login", 3, null), null)).isEqualTo(JoinOutcome.RELEASED);

        Release expected = complete("login", 3, 3, START + 20 + LEAD);
        assertThat(a.received()).containsExactly(new Received(expected, "ta"));
        assertThat(b.received()).containsExactly(new Received(expected, "7"));
        assertThat(c.received()).containsExactly(new Received(expected, null));
        assertThat(registry.waitingCheckpoints()).isZero();
    }

    @Test
    void theFirstJoinFixesTheTarget() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 2, null), "ta");
        // A later join asking for more changes nothing: the checkpoint completes at 2.
        assertThat(run.join(b, new CheckpointJoin("login", 5, null), "tb")).isEqualTo(JoinOutcome.RELEASED);

        Release expected = complete("login", 2, 2, START + LEAD);
        assertThat(a.received()).containsExactly(new Received(expected, "ta"));
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        assertThat(c.received()).isEmpty();
    }

    @Test
    void aTargetOfOneCompletesOnTheFirstJoin() {
        Run run = attach(a);
        assertThat(run.join(a, new CheckpointJoin("solo", 1, null), "t")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(a.received()).containsExactly(new Received(complete("solo", 1, 1, START + LEAD), "t"));
    }

    @Test
    void joiningTwiceCountsOnceAndKeepsTheFirstToken() {
        Run run = attach(a, b);
        assertThat(run.join(a, new CheckpointJoin("login", 2, null), "first")).isEqualTo(JoinOutcome.WAITING);
        assertThat(run.join(a, new CheckpointJoin("login", 2, null), "second")).isEqualTo(JoinOutcome.WAITING);
        assertThat(a.received()).isEmpty();

        assertThat(run.join(b, new CheckpointJoin("login", 2, null), "tb")).isEqualTo(JoinOutcome.RELEASED);

        Release expected = complete("login", 2, 2, START + LEAD);
        assertThat(a.received()).containsExactly(new Received(expected, "first"));
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
    }

    @Test
    void aCompletedCheckpointAnswersALaterJoinAloneWithTheIdenticalRelease() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 2, null), "ta");
        run.join(b, new CheckpointJoin("login", 2, null), "tb");
        Release expected = complete("login", 2, 2, START + LEAD);

        scheduler.advance(60_000);
        assertThat(run.join(c, new CheckpointJoin("login", 9, 5L), "tc")).isEqualTo(JoinOutcome.RELEASED);

        assertThat(c.received()).containsExactly(new Received(expected, "tc"));
        assertThat(a.received()).hasSize(1);
        assertThat(b.received()).hasSize(1);
        // Asking again is answered again, with the same decision.
        assertThat(run.join(a, new CheckpointJoin("login", 2, null), "again")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(a.received()).containsExactly(new Received(expected, "ta"), new Received(expected, "again"));
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void aMemberThatDetachesBeforeCompletionNoLongerCountsAndReleasesNoOne() {
        Run run = attach(a, b, c, d);
        run.join(a, new CheckpointJoin("login", 3, null), "ta");
        run.join(b, new CheckpointJoin("login", 3, null), "tb");

        registry.detach(run, a);
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();

        assertThat(run.join(c, new CheckpointJoin("login", 3, null), "tc")).isEqualTo(JoinOutcome.WAITING);
        assertThat(b.received()).isEmpty();
        assertThat(run.join(d, new CheckpointJoin("login", 3, null), "td")).isEqualTo(JoinOutcome.RELEASED);

        Release expected = complete("login", 3, 3, START + LEAD);
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        assertThat(c.received()).containsExactly(new Received(expected, "tc"));
        assertThat(d.received()).containsExactly(new Received(expected, "td"));
    }

    @Test
    void whenTheLastWaitingMemberLeavesTheCheckpointIsRemovedWithItsTimer() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 3, 1000L), "ta");
        assertThat(registry.waitingCheckpoints()).isEqualTo(1);
        FakeScheduler.Task deadline = scheduler.lastScheduled();

        registry.detach(run, a);

        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(deadline.cancelled()).isTrue();
        scheduler.advance(5000);
        assertThat(a.received()).isEmpty();

        // The identifier starts afresh: its own target and deadline.
        assertThat(run.join(b, new CheckpointJoin("login", 2, null), "tb")).isEqualTo(JoinOutcome.WAITING);
        assertThat(run.join(c, new CheckpointJoin("login", 2, null), "tc")).isEqualTo(JoinOutcome.RELEASED);
        Release expected = complete("login", 2, 2, START + 5000 + LEAD);
        assertThat(b.received()).containsExactly(new Received(expected, "tb"));
        assertThat(c.received()).containsExactly(new Received(expected, "tc"));
        assertThat(a.received()).isEmpty();
    }

    @Test
    void aDetachAfterCompletionChangesNothingForTheOthers() {
        Run run = attach(a, b, c);
        run.join(a, new CheckpointJoin("login", 2, null), "ta");
        run.join(b, new CheckpointJoin("login", 2, null), "tb");
        registry.detach(run, a);

        assertThat(run.join(c, new CheckpointJoin("login", 2, null), "tc")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(c.received()).containsExactly(new Received(complete("login", 2, 2, START + LEAD), "tc"));
        assertThat(a.received()).hasSize(1);
        assertThat(b.received()).hasSize(1);
    }

    @Test
    void releasesAreDeliveredWithoutHoldingTheRunsLock() {
        Run run = attach(a, b, c);
        // While b's release is being delivered, another thread must be able to change the run.
        Member probing = new ReleaseOnlyMember() {
            @Override
            public String id() {
                return "probe";
            }

            @Override
            public void release(Release release, String replyId) {
                CompletableFuture<JoinOutcome> other = CompletableFuture.supplyAsync(
                        () -> run.join(c, new CheckpointJoin("other", 5, null), null));
                try {
                    // Would dead-lock (and time out) if the completing thread still held the lock.
                    assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(JoinOutcome.WAITING);
                } catch (Exception e) {
                    throw new AssertionError("another thread could not join while a release was delivered", e);
                }
                b.release(release, replyId);
            }
        };
        registry.attach("42", probing);
        run.join(probing, new CheckpointJoin("login", 2, null), "tp");
        assertThat(run.join(a, new CheckpointJoin("login", 2, null), "ta")).isEqualTo(JoinOutcome.RELEASED);

        assertThat(b.received()).containsExactly(new Received(complete("login", 2, 2, START + LEAD), "tp"));
        assertThat(registry.waitingCheckpoints()).isEqualTo(1);
    }

    @Test
    void aMemberWhoseDeliveryFailsDoesNotKeepTheReleaseFromTheOthers() {
        Run run = attach(a);
        Member broken = new ReleaseOnlyMember() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public void release(Release release, String replyId) {
                throw new IllegalStateException("socket gone");
            }
        };
        registry.attach("42", broken);
        run.join(broken, new CheckpointJoin("login", 2, null), null);
        assertThat(run.join(a, new CheckpointJoin("login", 2, null), "ta")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(a.received()).containsExactly(new Received(complete("login", 2, 2, START + LEAD), "ta"));
    }

    @Test
    void aNewIdentifierBeyondTheCheckpointLimitIsRefusedAndChangesNothing() {
        Run run = attach(a, b);
        run.join(a, new CheckpointJoin("one", 1, null), null);           // completed: still counts toward the limit
        run.join(a, new CheckpointJoin("two", 2, 1000L), null);          // waiting
        run.join(a, new CheckpointJoin("three", 2, null), null);         // waiting
        int scheduled = scheduler.scheduled().size();

        assertThat(run.join(b, new CheckpointJoin("four", 1, null), "tb")).isEqualTo(JoinOutcome.LIMIT_REACHED);
        assertThat(b.received()).isEmpty();
        assertThat(registry.waitingCheckpoints()).isEqualTo(2);
        assertThat(scheduler.scheduled()).hasSize(scheduled);

        // Existing identifiers still work, and a removed checkpoint frees its place.
        assertThat(run.join(b, new CheckpointJoin("one", 1, null), "tb")).isEqualTo(JoinOutcome.RELEASED);
        scheduler.advance(1000);                     // "two" times out and is removed
        assertThat(run.join(b, new CheckpointJoin("four", 1, null), "tb4")).isEqualTo(JoinOutcome.RELEASED);
        assertThat(b.received()).extracting(r -> r.release().identifier()).containsExactly("one", "four");
    }

    @Test
    void invalidArgumentsAreRefusedAndJoinNothing() {
        Run run = attach(a);
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("", 1, null), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identifier");
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin(null, 1, null), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("x".repeat(257), 1, null), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("ok", 0, null), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target_count");
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("ok", 1, -1L), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout_ms");
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("\uD83D\uDE00".repeat(257), 1, null), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 257");
        assertThat(run.join(a, new CheckpointJoin("x".repeat(256), 2, null), null)).isEqualTo(JoinOutcome.WAITING);
        // 256 emoji are 256 characters, although Java stores them in 512 UTF-16 units.
        assertThat(run.join(a, new CheckpointJoin("\uD83D\uDE00".repeat(256), 2, null), null)).isEqualTo(JoinOutcome.WAITING);
        assertThat(registry.waitingCheckpoints()).isEqualTo(2);
        assertThat(a.received()).isEmpty();
    }

    @Test
    void aMemberThatIsNotAttachedCannotJoin() {
        Run run = attach(a);
        assertThatThrownBy(() -> run.join(b, new CheckpointJoin("login", 1, null), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not attached");
        registry.detach(run, a);
        assertThatThrownBy(() -> run.join(a, new CheckpointJoin("login", 1, null), null)).isInstanceOf(IllegalStateException.class);
        assertThat(registry.waitingCheckpoints()).isZero();
    }
}
