package io.testsync.server.runs;

import static io.testsync.server.runs.StartGate.runAtOnce;
import static io.testsync.server.runs.StartGate.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.runs.Attach.Attached;
import io.testsync.server.runs.RecordingMember.Received;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/** The races of SPEC §4 with real threads: a release is decided once and reaches each member once. */
class CheckpointRaceTest extends RaceTest {

    @Test
    void thousandMembersJoiningAtOnceAreEachReleasedOnceWithTheSameStartAt() throws Exception {
        int n = 1000;
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, n, n);
        List<RecordingMember> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new RecordingMember("m" + i));
        }
        Run run = null;
        for (RecordingMember m : members) {
            run = attach(registry, "load", m);
        }
        ExecutorService pool = pool(n);

        for (int round = 0; round < 20; round++) {
            String identifier = "iteration-" + round;
            scheduler.advance(1000);
            long startAt = scheduler.now() + LEAD;
            List<Callable<JoinOutcome>> joins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RecordingMember m = members.get(i);
                String token = m.id() + "/" + round;
                Run r = run;
                joins.add(() -> r.join(m, new CheckpointJoin(identifier, n, null), token));
            }

            List<JoinOutcome> outcomes = runAtOnce(pool, joins);

            assertThat(outcomes).filteredOn(o -> o == JoinOutcome.RELEASED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == JoinOutcome.WAITING).hasSize(n - 1);
            Release expected = Release.complete(identifier, n, n, startAt);
            for (RecordingMember m : members) {
                assertThat(m.received()).as("releases of %s after round %d", m, round).hasSize(round + 1);
                assertThat(m.received().get(round)).isEqualTo(new Received(expected, m.id() + "/" + round));
            }
            assertThat(registry.waitingCheckpoints()).isZero();
        }
    }

    @Test
    void completionRacingADetachReleasesBothOrNobody() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 500; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 10, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            Run run = attach(registry, "42", a);
            attach(registry, "42", b);
            run.join(a, new CheckpointJoin("login", 2, 1000L), "ta");

            List<Object> outcomes = runAtOnce(pool, List.of(
                    () -> run.join(b, new CheckpointJoin("login", 2, null), "tb"),
                    task(() -> registry.detach(run, a))));

            if (outcomes.get(0) == JoinOutcome.RELEASED) {
                Release expected = Release.complete("login", 2, 2, START + LEAD);
                assertThat(a.received()).containsExactly(new Received(expected, "ta"));
                assertThat(b.received()).containsExactly(new Received(expected, "tb"));
                assertThat(registry.waitingCheckpoints()).isZero();
            } else {
                // a left first: b waits alone, nobody was released.
                assertThat(outcomes.get(0)).isEqualTo(JoinOutcome.WAITING);
                assertThat(a.received()).isEmpty();
                assertThat(b.received()).isEmpty();
                assertThat(registry.waitingCheckpoints()).isEqualTo(1);
            }
            assertThat(run.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aTimeoutRacingTheLastJoinDeliversExactlyOneOutcome() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 500; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 10, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            Run run = attach(registry, "42", a);
            attach(registry, "42", b);
            run.join(a, new CheckpointJoin("login", 2, 1000L), "ta");
            FakeScheduler.Task deadline = scheduler.lastScheduled();
            scheduler.setNow(START + 1000);

            // The timer fires on a thread of its own, as a real one does.
            List<Object> outcomes = runAtOnce(pool, List.of(
                    () -> run.join(b, new CheckpointJoin("login", 2, 0L), "tb"),
                    task(deadline::fire)));

            if (outcomes.get(0) == JoinOutcome.RELEASED) {
                Release expected = Release.complete("login", 2, 2, START + 1000 + LEAD);
                assertThat(a.received()).containsExactly(new Received(expected, "ta"));
                assertThat(b.received()).containsExactly(new Received(expected, "tb"));
                assertThat(registry.waitingCheckpoints()).isZero();
            } else {
                // The deadline won: a alone timed out, b's join started a fresh checkpoint.
                assertThat(outcomes.get(0)).isEqualTo(JoinOutcome.WAITING);
                Release expected = new Release("login", false, Release.TIMEOUT, 1, 2, START + 1000 + LEAD, List.of(), List.of("a"), List.of("b"));
                assertThat(a.received()).containsExactly(new Received(expected, "ta"));
                assertThat(b.received()).isEmpty();
                assertThat(registry.waitingCheckpoints()).isEqualTo(1);
            }
        }
    }

    @Test
    void completionTimeoutAndDetachRacingStillDecideOnce() throws Exception {
        ExecutorService pool = pool(3);
        for (int round = 0; round < 500; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 10, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            RecordingMember c = new RecordingMember("c");
            Run run = attach(registry, "42", a);
            attach(registry, "42", b);
            attach(registry, "42", c);
            run.join(a, new CheckpointJoin("login", 3, 1000L), "ta");
            run.join(b, new CheckpointJoin("login", 3, null), "tb");
            FakeScheduler.Task deadline = scheduler.lastScheduled();
            scheduler.setNow(START + 1000);

            runAtOnce(pool, List.of(
                    () -> run.join(c, new CheckpointJoin("login", 3, 0L), "tc"),
                    task(deadline::fire),
                    task(() -> registry.detach(run, b))));

            // a never leaves, and either completion or the deadline decides: a hears exactly once.
            assertThat(a.received()).hasSize(1);
            Release decided = a.received().get(0).release();
            for (RecordingMember m : List.of(a, b, c)) {
                assertThat(m.received()).hasSizeLessThanOrEqualTo(1);
                assertThat(m.received()).allSatisfy(r -> assertThat(r.release()).isEqualTo(decided));
            }
            if (decided.finished()) {
                assertThat(decided.joined()).isEqualTo(3);
                assertThat(List.of(b, c)).allSatisfy(m -> assertThat(m.received()).hasSize(1));
            } else {
                assertThat(decided.joined()).isEqualTo(1 + b.received().size() + c.received().size());
            }
        }
    }
}
