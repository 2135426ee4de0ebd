package io.testsync.server.runs;

import static io.testsync.server.runs.StartGate.runAtOnce;
import static io.testsync.server.runs.StartGate.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.testsync.server.runs.RecordingMember.LockNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The races of SPEC §9 on real threads: every decision is taken once, under the run's lock. */
class ToolkitRaceTest extends RaceTest {

    @Test
    void twoHundredEntriesAtOnceGetTheNumbersOneToTwoHundredWithoutGapsOrRepeats() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, 200, 200);
        List<Callable<Long>> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            Run run = attach(registry, "r", m);
            entries.add(() -> run.signalEntry(m, "roles").value());
        }
        assertThat(runAtOnce(pool(200), entries)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    }

    @Test
    void countersSteppedFromManyThreadsLoseNoStep() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, 51, 51);
        List<Callable<Object>> steps = new ArrayList<>();
        RecordingMember reader = new RecordingMember("reader");
        Run run = attach(registry, "r", reader);
        for (int i = 0; i < 50; i++) {
            RecordingMember m = new RecordingMember("m" + i);
            Run r = attach(registry, "r", m);
            steps.add(task(() -> {
                for (int k = 0; k < 100; k++) r.counter(m, "n", 1);
            }));
        }
        runAtOnce(pool(50), steps);
        assertThat(run.counter(reader, "n", 0).value()).isEqualTo(5000);
    }

    @Test
    void aSubscriberJoiningWhilePublishesAreInFlightSeesEveryMessageOnceInOrder() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, 10, 10);
        RecordingMember publisher = new RecordingMember("pub");
        Run run = attach(registry, "r", publisher);
        for (int round = 0; round < 50; round++) {
            RecordingMember sub = new RecordingMember("sub" + round);
            attach(registry, "r", sub);
            String topic = "t" + round;
            List<List<TopicMessage>> replay = new ArrayList<>();
            runAtOnce(pool(2), List.of(
                    task(() -> {
                        for (int k = 0; k < 200; k++) run.publish(publisher, topic, Integer.toString(k));
                    }),
                    task(() -> replay.add(run.subscribe(sub, topic, 1, null).value()))));
            List<Long> seen = new ArrayList<>();
            replay.get(0).forEach(m -> seen.add(m.seq()));
            sub.messages().forEach(m -> seen.add(m.seq()));
            assertThat(seen).as("round " + round).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
            registry.detach(run, sub);
        }
    }

    @Test
    void publishersRacingOnFourThreadsReachEverySubscriberInSeqOrder() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, 10, 10);
        List<RecordingMember> publishers = new ArrayList<>();
        Run run = null;
        for (int i = 0; i < 4; i++) {
            RecordingMember p = new RecordingMember("pub" + i);
            run = attach(registry, "r", p);
            publishers.add(p);
        }
        RecordingMember sub = new RecordingMember("sub");
        attach(registry, "r", sub);
        Run r = run;
        r.subscribe(sub, "t", 1, null);
        List<Callable<Object>> publishes = new ArrayList<>();
        for (RecordingMember p : publishers) {
            publishes.add(task(() -> {
                for (int k = 0; k < 500; k++) r.publish(p, "t", "0");
            }));
        }
        runAtOnce(pool(4), publishes);
        assertThat(sub.messages()).extracting(TopicMessage::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 2000).boxed().toList());
    }

    @Test
    void aLockWaitTimingOutAtTheInstantItIsGrantedEndsOneWayOnly() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 200; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 1, 10, 10);
            RecordingMember holder = new RecordingMember("h");
            RecordingMember waiter = new RecordingMember("w");
            Run run = attach(registry, "r", holder);
            attach(registry, "r", waiter);
            run.lock(holder, "l", null, "1");
            run.lock(waiter, "l", 1000L, "2");
            FakeScheduler.Task timeout = scheduler.lastScheduled();
            runAtOnce(pool, List.of(task(() -> run.unlock(holder, "l")), task(timeout::fire)));
            List<LockNotice> notices = waiter.locks();
            assertThat(notices).as("round " + round).hasSize(1);
            if (notices.get(0).fence() == 0) {
                assertThat(registry.locksHeld()).isZero();     // timed out first: the lock is free
            } else {
                assertThat(notices.get(0)).isEqualTo(new LockNotice("l", 2, "2"));
                assertThat(registry.locksHeld()).isEqualTo(1);
            }
            assertThat(registry.lockWaiters()).isZero();
        }
    }

    @Test
    void aHolderDroppingWhileFiftyWaitGrantsEachWaiterOnceInOrder() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(START);
        RunRegistry registry = registry(scheduler, 1, 60, 60);
        RecordingMember holder = new RecordingMember("h");
        Run run = attach(registry, "r", holder);
        run.lock(holder, "l", null, null);
        List<RecordingMember> waiters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingMember w = new RecordingMember("w" + i);
            attach(registry, "r", w);
            run.lock(w, "l", 0L, "r" + i);
            waiters.add(w);
        }
        registry.detach(run, holder);
        for (int i = 0; i < 50; i++) {
            RecordingMember w = waiters.get(i);
            assertThat(w.locks()).as("waiter " + i).containsExactly(new LockNotice("l", i + 2, "r" + i));
            if (i % 2 == 0) run.unlock(w, "l");
            else registry.detach(run, w);                 // dropping hands over like unlocking
        }
        assertThat(registry.locksHeld()).isZero();
    }

    @Test
    void aMemberClosingAtTheInstantAFailOnLeaveCheckpointCompletesIsReleasedOnceNeverBothWays() throws Exception {
        ExecutorService pool = pool(2);
        for (int round = 0; round < 200; round++) {
            FakeScheduler scheduler = new FakeScheduler(START);
            RunRegistry registry = registry(scheduler, 1, 10, 10);
            RecordingMember a = new RecordingMember("a");
            RecordingMember b = new RecordingMember("b");
            RecordingMember c = new RecordingMember("c");
            Run run = attach(registry, "r", a);
            attach(registry, "r", b);
            attach(registry, "r", c);
            run.join(a, new CheckpointJoin("x", 3, null, true), "ta");
            run.join(b, new CheckpointJoin("x", 3, null), "tb");
            runAtOnce(pool, List.of(
                    () -> run.join(c, new CheckpointJoin("x", 3, null), "tc"),
                    task(() -> registry.detach(run, b))));
            assertThat(a.received()).as("round " + round).hasSize(1);
            Release r = a.received().get(0).release();
            if (r.finished()) {
                assertThat(c.received()).hasSize(1);           // completed first: b's leaving came too late
                assertThat(b.received()).hasSize(1);
            } else {
                assertThat(r.reason()).isEqualTo(Release.PARTICIPANT_LOST);
                assertThat(b.received()).isEmpty();
                // c joined either the failed checkpoint (released with a) or, after it was removed, a fresh one
                assertThat(c.received().size() + (run.joinedCount("x") == 1 ? 1 : 0)).isEqualTo(1);
            }
            assertThat(registry.completedReleases() + registry.participantLostReleases()).isEqualTo(1);
        }
    }
}
