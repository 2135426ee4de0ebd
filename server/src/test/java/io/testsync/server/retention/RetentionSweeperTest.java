package io.testsync.server.retention;

import io.testsync.server.runs.Attach;
import io.testsync.server.runs.CheckpointJoin;
import io.testsync.server.runs.Member;
import io.testsync.server.runs.Release;
import io.testsync.server.runs.TopicMessage;
import io.testsync.server.runs.Run;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.MemoryStore;
import io.testsync.server.store.StoreException;
import io.testsync.server.store.UnusedStore;
import io.testsync.server.store.StoredData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention's rules with a hand-moved clock: what counts as activity, what is kept, what is removed together. */
class RetentionSweeperTest {
    static final long T0 = 1_700_000_000_000L;
    static final long MAX_IDLE = 1_000;

    final ManualClock clock = new ManualClock(T0);
    final Activity activity = new Activity(clock::now, 0);
    final MemoryStore raw = new MemoryStore(clock::now);
    final DataStore store = new ActivityStore(raw, activity);
    final RunRegistry registry = new RunRegistry(clock, new RunRegistry.Settings(0, 0, 100, 100, 100, 100));
    final RetentionSweeper sweeper = new RetentionSweeper(store, registry, activity, clock, MAX_IDLE);

    static StoredData data(String text) {
        return new StoredData(text.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    static Member member(String id) {
        return new Member() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void release(Release release, String replyId) {
            }

            @Override
            public void message(TopicMessage message, String replyId) {
            }

            @Override
            public void lockGranted(String name, long fence, String replyId) {
            }

            @Override
            public void lockTimedOut(String name, String replyId) {
            }

            @Override
            public void disconnect(int code, String reason) {
            }
        };
    }

    int sweep() {
        return sweeper.sweep().join();
    }

    /** Looks without counting as activity (straight at the backend). */
    boolean stored(String testId) {
        return raw.get(testId).join().isPresent();
    }

    /** A read that counts, as the server's reads do. */
    void read(String testId) {
        assertThat(store.get(testId).join()).isPresent();
    }

    @Test
    void dataWithoutAgentsIsRemovedOnceIdleForMaxIdle() {
        store.put("http-only", data("x")).join();
        clock.advance(MAX_IDLE - 1);
        assertThat(sweep()).isZero();
        assertThat(stored("http-only")).isTrue();
        clock.advance(1);
        assertThat(sweep()).isEqualTo(1);
        assertThat(stored("http-only")).isFalse();
        assertThat(sweeper.removedRuns()).isEqualTo(1);
    }

    @Test
    void aReadCountsAsActivity() {
        store.put("read", data("x")).join();
        clock.advance(800);
        read("read");                                 // at T0 + 800
        clock.advance(999);
        assertThat(sweep()).as("written 1799 ms ago, read 999 ms ago").isZero();
        clock.advance(1);
        assertThat(sweep()).isEqualTo(1);
    }

    @Test
    void aReadOfARunWithoutDataRemembersNothing() {
        for (int i = 0; i < 100; i++) assertThat(store.get("probe-" + i).join()).isEmpty();
        assertThat(activity.size()).isZero();
    }

    @Test
    void aRunWithALiveAgentIsNeverRemovedAndGoesOnceIdleAfterItLeft() {
        Member agent = member("a");
        Run run = ((Attach.Attached) registry.attach("live", agent)).run();
        store.put("live", data("x")).join();
        clock.advance(100 * MAX_IDLE);
        assertThat(sweep()).isZero();
        assertThat(stored("live")).isTrue();
        assertThat(registry.find("live")).isSameAs(run);

        run.join(agent, new CheckpointJoin("done", 1, null), null);      // a completed checkpoint keeps the run held after the agent leaves
        registry.detach(run, agent);                  // activity now
        clock.advance(MAX_IDLE - 1);
        assertThat(sweep()).isZero();
        assertThat(stored("live")).isTrue();
        clock.advance(1);
        assertThat(sweep()).as("the run held in memory and its data: one run").isEqualTo(1);
        assertThat(stored("live")).isFalse();
        assertThat(registry.find("live")).isNull();
    }

    @Test
    void aHeldRunWhoseDataIsInUseStaysWithItsCheckpoints() {
        Member agent = member("a");
        Run run = ((Attach.Attached) registry.attach("r", agent)).run();
        run.join(agent, new CheckpointJoin("done", 1, null), null);
        registry.detach(run, agent);
        store.put("r", data("x")).join();
        clock.advance(MAX_IDLE - 200);
        read("r");                                    // read over HTTP after the agents left
        clock.advance(400);                           // agents gone for MAX_IDLE + 200, data read 400 ms ago
        assertThat(sweep()).isZero();
        assertThat(registry.find("r")).as("checkpoints are kept while the data is in use").isSameAs(run);
        clock.advance(MAX_IDLE);
        assertThat(sweep()).isEqualTo(1);
        assertThat(registry.find("r")).isNull();
        assertThat(stored("r")).isFalse();
    }

    @Test
    void aRunHeldOnlyInMemoryIsRemovedWithoutData() {
        Member agent = member("a");
        Run run = ((Attach.Attached) registry.attach("no-data", agent)).run();
        run.join(agent, new CheckpointJoin("done", 1, null), null);
        registry.detach(run, agent);
        clock.advance(MAX_IDLE);
        assertThat(sweep()).isEqualTo(1);
        assertThat(registry.find("no-data")).isNull();
    }

    @Test
    void deletedDataIsForgottenAndOldActivityIsPruned() {
        store.put("a", data("x")).join();
        store.put("b", data("y")).join();
        assertThat(activity.size()).isEqualTo(2);
        store.delete("a").join();
        assertThat(activity.size()).isEqualTo(1);
        clock.advance(MAX_IDLE);
        sweep();
        assertThat(activity.size()).isZero();
    }

    @Test
    void aFailingStoreEndsTheSweepQuietlyAndTheNextOneTriesAgain() {
        FailingRemoval store = new FailingRemoval();
        RetentionSweeper broken = new RetentionSweeper(store, registry, activity, clock, MAX_IDLE);
        assertThat(broken.sweep().join()).isZero();
        assertThat(broken.sweep().join()).isZero();
        assertThat(store.calls).as("not stuck in 'sweeping'").isEqualTo(2);
    }

    @Test
    void sweepsDoNotOverlap() {
        PendingRemoval slow = new PendingRemoval();
        RetentionSweeper sweeps = new RetentionSweeper(slow, registry, activity, clock, MAX_IDLE);
        CompletableFuture<Integer> first = sweeps.sweep();
        assertThat(sweeps.sweep().join()).isZero();
        assertThat(slow.calls).isEqualTo(1);
        slow.pending.complete(List.of("x"));
        assertThat(first.join()).isEqualTo(1);
        sweeps.sweep();
        assertThat(slow.calls).isEqualTo(2);
    }

    @Test
    void startSweepsAtOnceThenAfterEachIntervalUntilStopped() {
        store.put("old", data("x")).join();
        clock.advance(MAX_IDLE);
        sweeper.start(5_000, Runnable::run);
        assertThat(stored("old")).as("the startup sweep").isFalse();
        assertThat(clock.timers).hasSize(1);
        assertThat(clock.timers.get(0).delayMs()).isEqualTo(5_000);

        store.put("later", data("y")).join();
        clock.advance(MAX_IDLE);
        clock.timers.get(0).task().run();
        assertThat(stored("later")).isFalse();
        assertThat(clock.timers).hasSize(2);

        sweeper.stop();
        assertThat(clock.timers.get(1).cancelled()[0]).isTrue();
        store.put("after-stop", data("z")).join();
        clock.advance(MAX_IDLE);
        assertThat(sweeper.sweep().join()).isZero();
        assertThat(stored("after-stop")).isTrue();
    }

    /** Retention calls answered by the test; everything else is never called by the sweeper. */
    abstract static class RemovalOnly extends UnusedStore {
        int calls;
    }

    /** A disk error in the middle of a sweep. */
    static final class FailingRemoval extends RemovalOnly {
        @Override
        public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
            calls++;
            return CompletableFuture.failedFuture(new StoreException("disk I/O error"));
        }
    }

    /** The first sweep's removal completes when the test says so. */
    static final class PendingRemoval extends RemovalOnly {
        final CompletableFuture<List<String>> pending = new CompletableFuture<>();

        @Override
        public CompletableFuture<List<String>> removeIdle(long cutoffUnixMs, Predicate<String> keep) {
            calls++;
            return calls == 1 ? pending : CompletableFuture.completedFuture(List.of());
        }
    }
}
