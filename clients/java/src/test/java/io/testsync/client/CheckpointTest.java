package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Checkpoints through the client: the common start instant, both failure kinds, 20 agents on 20 threads. */
class CheckpointTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start(200);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** A release and the moment the call returned. */
    record Returned(Release release, long returnedAtNanos) {
    }

    @Test
    void bothAgentsReturnAtTheCommonStartInstantNotBefore() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        CompletableFuture<Returned> first = a.checkpointAsync("go", 2, Duration.ofSeconds(20))
                .thenApply(r -> new Returned(r, System.nanoTime()));
        Release rb = b.checkpoint("go", 2, Duration.ofSeconds(20));
        long bReturned = System.nanoTime();
        Returned ra = first.get(20, TimeUnit.SECONDS);
        for (Release r : List.of(ra.release(), rb)) {
            assertThat(r.identifier()).isEqualTo("go");
            assertThat(r.finished()).isTrue();
            assertThat(r.reason()).isEqualTo("complete");
            assertThat(r.joined()).isEqualTo(2);
            assertThat(r.target()).isEqualTo(2);
            assertThat(r.startInMs()).isBetween(0L, 200L);
            assertThat(r.joinedAgents()).isEmpty();
        }
        assertThat(ra.release().startAt()).isEqualTo(rb.startAt());
        assertThat(bReturned).isGreaterThanOrEqualTo(rb.resumeAtNanos());
        assertThat(ra.returnedAtNanos()).isGreaterThanOrEqualTo(ra.release().resumeAtNanos());
    }

    @Test
    void aLateJoinOfACompletedCheckpointGetsTheSameRelease() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        Release first = a.checkpoint("solo", 1, Duration.ofSeconds(10));
        Release again = fx.connect(run, "late").checkpoint("solo", 5, Duration.ofSeconds(10));
        assertThat(again.startAt()).isEqualTo(first.startAt());
        assertThat(again.target()).isEqualTo(1);
        assertThat(again.finished()).isTrue();
    }

    @Test
    void aTimeoutThrowsCheckpointFailedNamingWhoJoinedAndWhoDidNot() {
        String run = ServerFixture.newRun();
        TestSyncClient alice = fx.connect(run, "alice");
        fx.connect(run, "bob");
        CheckpointFailedException e = catchThrowableOfType(CheckpointFailedException.class,
                () -> alice.checkpoint("never", 2, Duration.ofMillis(300)));
        assertThat(e.code()).isEqualTo(TestSyncException.CHECKPOINT_FAILED);
        assertThat(e.reason()).isEqualTo("timeout");
        assertThat(e.joinedAgents()).containsExactly("alice");
        assertThat(e.absentAgents()).containsExactly("bob");
        assertThat(e.release().finished()).isFalse();
        assertThat(e.release().joined()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("checkpoint \"never\" failed: timeout, 1 of 2 joined; joined [alice]; absent [bob]");
    }

    @Test
    void failOnLeaveReleasesTheOthersAtOnceWhenOneDisconnects() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient alice = fx.connect(run, "alice");
        TestSyncClient bob = TestSyncClient.connect(fx.uri(), run, fx.options("bob"));
        CompletableFuture<Release> waiting = alice.checkpointAsync("call", 3, Duration.ZERO, true);
        CompletableFuture<Release> bobs = bob.checkpointAsync("call", 3, Duration.ZERO, true);
        assertThat(bob.connectionCount()).isEqualTo(2); // replies come in order: bob's join is registered
        bob.close();
        ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        CheckpointFailedException e = (CheckpointFailedException) failed.getCause();
        assertThat(e.reason()).isEqualTo("participant_lost");
        assertThat(e.lost()).containsExactly("bob");
        assertThat(e.joinedAgents()).containsExactly("alice");
        // bob's own wait was still pending when he closed: it fails as closed, it does not hang
        ExecutionException closed = catchThrowableOfType(ExecutionException.class, () -> bobs.get(10, TimeUnit.SECONDS));
        assertThat(((TestSyncException) closed.getCause()).code()).isEqualTo(TestSyncException.CLOSED);
    }

    @Test
    void aServerErrorIsATestSyncExceptionWithItsCode() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.checkpoint("x".repeat(257), 2, Duration.ofSeconds(1)));
        assertThat(e).isNotInstanceOf(CheckpointFailedException.class);
        assertThat(e.code()).isEqualTo("invalid_argument");
        assertThat(e.command()).isEqualTo("wait_checkpoint");
        assertThat(e.getMessage()).contains("identifier");
        assertThat(a.isConnected()).isTrue();
        assertThatThrownBy(() -> a.checkpoint("y", 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must be at least 1, got 0");
    }

    @Test
    void twentyAgentsOnTwentyThreadsMeetAndReturnTogether() throws Exception {
        String run = ServerFixture.newRun();
        int n = 20;
        List<TestSyncClient> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) agents.add(fx.connect(run, "agent-" + i));
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<Returned>> calls = new ArrayList<>();
            for (TestSyncClient c : agents) {
                calls.add(threads.submit(() -> {
                    Release r = c.checkpoint("all-20", n, Duration.ofSeconds(30));
                    return new Returned(r, System.nanoTime());
                }));
            }
            List<Returned> all = new ArrayList<>();
            for (Future<Returned> f : calls) all.add(f.get(30, TimeUnit.SECONDS));
            long startAt = all.get(0).release().startAt();
            assertThat(all).allSatisfy(x -> {
                assertThat(x.release().finished()).isTrue();
                assertThat(x.release().joined()).isEqualTo(n);
                assertThat(x.release().startAt()).isEqualTo(startAt);
                assertThat(x.returnedAtNanos()).isGreaterThanOrEqualTo(x.release().resumeAtNanos());
            });
        } finally {
            threads.shutdownNow();
        }
    }
}
