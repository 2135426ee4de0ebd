package io.testsync.server.ops;

import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoreException;
import io.testsync.server.store.UnusedStore;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** /readyz's check: the store's answer within a bound, shared by concurrent probes and reused briefly. */
class ReadinessTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final AtomicInteger checks = new AtomicInteger();

    DataStore checking(Supplier<CompletableFuture<Void>> answer) {
        return new UnusedStore() {
            @Override
            public CompletableFuture<Void> check() {
                checks.incrementAndGet();
                return answer.get();
            }
        };
    }

    Readiness readiness(DataStore store, long timeoutMs) {
        return new Readiness(store, timeoutMs, 1_000, now::get);
    }

    @Test
    void readyWhenTheStoreAnswers() {
        assertThat(readiness(checking(() -> CompletableFuture.completedFuture(null)), 2_000).check().join()).isTrue();
    }

    @Test
    void inClusterModeNotReadyWhileTheEventsConnectionIsDownThoughTheStoreAnswers() {
        java.util.concurrent.atomic.AtomicBoolean events = new java.util.concurrent.atomic.AtomicBoolean(false);
        Readiness r = new Readiness(checking(() -> CompletableFuture.completedFuture(null)), events::get, 2_000, 1_000, now::get);
        assertThat(r.check().join()).isFalse();
        assertThat(checks).as("the store is not asked while events are down").hasValue(0);
        events.set(true);
        now.addAndGet(1_000); // past the reuse window
        assertThat(r.check().join()).isTrue();
    }

    @Test
    void notReadyWhenTheStoreFails() {
        Readiness r = readiness(checking(() -> CompletableFuture.failedFuture(new StoreException("database is locked"))), 2_000);
        assertThat(r.check().join()).isFalse();
    }

    @Test
    void notReadyWhenTheStoreThrowsInsteadOfAnswering() {
        Readiness r = readiness(checking(() -> {
            throw new IllegalStateException("bug");
        }), 2_000);
        assertThat(r.check().join()).isFalse();
    }

    @Test
    void notReadyWhenTheStoreDoesNotAnswerInTime() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        Readiness r = readiness(checking(() -> never), 50);
        assertThat(r.check().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(never).as("the store's own future is left alone").isNotDone();
    }

    @Test
    void probesArrivingWhileACheckRunsShareIt() {
        CompletableFuture<Void> pending = new CompletableFuture<>();
        Readiness r = readiness(checking(() -> pending), 60_000);
        CompletableFuture<Boolean> first = r.check();
        CompletableFuture<Boolean> second = r.check();
        assertThat(checks).hasValue(1);
        pending.complete(null);
        assertThat(first.join()).isTrue();
        assertThat(second.join()).isTrue();
    }

    @Test
    void aResultIsReusedForASecondThenCheckedAgain() {
        AtomicInteger answers = new AtomicInteger();
        Readiness r = readiness(checking(() -> answers.incrementAndGet() == 1
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new StoreException("disk full"))), 2_000);
        assertThat(r.check().join()).isTrue();
        now.addAndGet(999);
        assertThat(r.check().join()).isTrue();
        assertThat(checks).hasValue(1);
        now.addAndGet(1);
        assertThat(r.check().join()).isFalse();
        assertThat(checks).hasValue(2);
    }
}
