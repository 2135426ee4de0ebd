package io.testsync.server.runs;

import static io.testsync.server.runs.StartGate.runAtOnce;
import static io.testsync.server.runs.StartGate.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.runs.Attach.Attached;
import io.testsync.server.runs.Attach.Refused;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/** Attach, detach and retention racing on real threads (SPEC §3, §7): counts exact, no stale run. */
class AttachRaceTest extends RaceTest {

    @Test
    void thousandConcurrentAttachesAgainstAPerRunLimitOf500AttachExactly500() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 10, 500, 10_000);
        List<Callable<Attach>> attaches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            attaches.add(() -> registry.attach("crowd", m));
        }

        List<Attach> results = runAtOnce(pool(1000), attaches);

        assertThat(results).filteredOn(r -> r instanceof Attached).hasSize(500);
        assertThat(results).filteredOn(r -> r instanceof Refused)
                .hasSize(500)
                .allSatisfy(r -> assertThat(r).isEqualTo(new Refused("limits.max_connections_per_run", 500)));
        assertThat(registry.find("crowd").connectionCount()).isEqualTo(500);
        assertThat(registry.connectionCount()).isEqualTo(500);
        assertThat(registry.runCount()).isEqualTo(1);
    }

    @Test
    void concurrentAttachesNeverPassTheServerWideConnectionLimit() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 100, 1000, 300);
        List<Callable<Attach>> attaches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            String testId = "run-" + (i % 10);
            attaches.add(() -> registry.attach(testId, m));
        }

        List<Attach> results = runAtOnce(pool(1000), attaches);

        assertThat(results).filteredOn(r -> r instanceof Attached).hasSize(300);
        assertThat(results).filteredOn(r -> r instanceof Refused)
                .allSatisfy(r -> assertThat(r).isEqualTo(new Refused("limits.max_connections", 300)));
        int perRunSum = 0;
        for (int i = 0; i < 10; i++) {
            Run run = registry.find("run-" + i);
            perRunSum += run == null ? 0 : run.connectionCount();
        }
        assertThat(perRunSum).isEqualTo(300);
        assertThat(registry.connectionCount()).isEqualTo(300);
    }

    @Test
    void concurrentAttachesNeverCreateMoreThanMaxRuns() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 100, 10, 10_000);
        List<Callable<Attach>> attaches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            String testId = "run-" + i;
            attaches.add(() -> registry.attach(testId, m));
        }

        List<Attach> results = runAtOnce(pool(1000), attaches);

        assertThat(results).filteredOn(r -> r instanceof Attached).hasSize(100);
        assertThat(results).filteredOn(r -> r instanceof Refused)
                .allSatisfy(r -> assertThat(r).isEqualTo(new Refused("limits.max_runs", 100)));
        assertThat(registry.runCount()).isEqualTo(100);
        assertThat(registry.connectionCount()).isEqualTo(100);
    }

    @Test
    void attachesRacingToCreateTheSameRunDoNotRefuseEachOtherOnMaxRuns() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 10, 1000, 10_000);
        List<Callable<Attach>> attaches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            String testId = "run-" + (i % 10);
            attaches.add(() -> registry.attach(testId, m));
        }

        List<Attach> results = runAtOnce(pool(1000), attaches);

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Attached.class));
        Set<Run> runs = new HashSet<>();
        results.forEach(r -> runs.add(((Attached) r).run()));
        assertThat(runs).hasSize(10);
        assertThat(registry.runCount()).isEqualTo(10);
    }

    @Test
    void anAttachRacingTheRemovalOfItsRunAlwaysLandsInALiveRun() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 1000; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 1, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            Run old = attach(registry, "42", a);

            List<Object> results = runAtOnce(pool, List.of(
                    task(() -> registry.detach(old, a)),
                    () -> registry.attach("42", b)));

            Run landed = ((Attached) results.get(1)).run();
            assertThat(registry.find("42")).isSameAs(landed);
            assertThat(landed.connectionCount()).isEqualTo(1);
            assertThat(landed.join(b, new CheckpointJoin("alive", 1, null), null)).isEqualTo(JoinOutcome.RELEASED);
            assertThat(registry.runCount()).isEqualTo(1);
            assertThat(registry.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void anAttachRacingRetentionAlwaysLandsInALiveRun() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 1000; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 1, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            Run old = attach(registry, "42", a);
            old.join(a, new CheckpointJoin("done", 1, null), null);
            registry.detach(old, a);                 // stays: it holds a completed checkpoint
            scheduler.advance(10);

            List<Object> results = runAtOnce(pool, List.of(
                    () -> registry.removeIdle(10),
                    () -> registry.attach("42", b)));

            Run landed = ((Attached) results.get(1)).run();
            assertThat(registry.find("42")).isSameAs(landed);
            assertThat(landed.connectionCount()).isEqualTo(1);
            if (results.get(0).equals(List.of("42"))) {
                assertThat(landed).isNotSameAs(old);
            } else {
                assertThat(landed).isSameAs(old);
            }
        }
    }

    @Test
    void manyMembersComingAndGoingLeaveNothingBehind() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 100, 1000, 10_000);
        List<Callable<Object>> lives = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            String testId = "run-" + (i % 10);
            lives.add(task(() -> {
                Run run = attach(registry, testId, m);
                run.join(m, new CheckpointJoin("never-complete", 10_000, 1000L), null);
                registry.detach(run, m);
            }));
        }

        runAtOnce(pool(1000), lives);

        assertThat(registry.connectionCount()).isZero();
        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(registry.runCount()).isZero();
        assertThat(scheduler.pending()).isEmpty();
    }
}
