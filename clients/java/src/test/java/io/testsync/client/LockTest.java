package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Locks through the client: fences, timeouts, release on disconnect, ten contenders. */
class LockTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void theNextWaiterIsGrantedWithALargerFenceOnUnlock() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        Lock first = a.lock("account", Duration.ofSeconds(10));
        assertThat(first.name()).isEqualTo("account");
        CompletableFuture<Lock> second = b.lockAsync("account", Duration.ofSeconds(10));
        assertThat(b.connectionCount()).isEqualTo(2); // b's lock request is in line before this reply
        assertThat(second).isNotDone();
        first.close();
        first.close();
        try (Lock l = second.get(10, TimeUnit.SECONDS)) {
            assertThat(l.fence()).isGreaterThan(first.fence());
        }
    }

    @Test
    void notGrantedInTimeIsLockTimeout() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        a.lock("account", Duration.ofSeconds(10));
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> b.lock("account", Duration.ofMillis(200)));
        assertThat(e.code()).isEqualTo(TestSyncException.LOCK_TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("lock \"account\" was not granted within 200 ms (reason: timeout)");
    }

    @Test
    void askingAgainForAHeldLockIsInvalidArgument() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        a.lock("account", Duration.ofSeconds(10));
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.lock("account", Duration.ofSeconds(1)));
        assertThat(e.code()).isEqualTo("invalid_argument");
        assertThat(e.command()).isEqualTo("lock");
    }

    @Test
    void aHolderThatDisconnectsPassesTheLockOn() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = TestSyncClient.connect(fx.uri(), run, fx.options("a"));
        TestSyncClient b = fx.connect(run, "b");
        Lock held = a.lock("account", Duration.ZERO);
        CompletableFuture<Lock> waiting = b.lockAsync("account", Duration.ZERO);
        a.close();
        held.close(); // nothing left to unlock: a no-op, not an error
        assertThat(waiting.get(10, TimeUnit.SECONDS).fence()).isGreaterThan(held.fence());
    }

    @Test
    void tenClientsContendingHoldItOneAtATimeWithStrictlyIncreasingFences() throws Exception {
        String run = ServerFixture.newRun();
        int clients = 10;
        int rounds = 5;
        List<TestSyncClient> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) all.add(fx.connect(run, "c" + i));
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> fencesInGrantOrder = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (TestSyncClient c : all) {
                work.add(threads.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        try (Lock l = c.lock("shared-account", Duration.ofSeconds(60))) {
                            if (holders.incrementAndGet() != 1) overlaps.incrementAndGet();
                            fencesInGrantOrder.add(l.fence());
                            c.counter("work", 1); // a round trip while holding: others must wait
                            holders.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(fencesInGrantOrder).hasSize(clients * rounds);
        for (int i = 1; i < fencesInGrantOrder.size(); i++) {
            assertThat(fencesInGrantOrder.get(i)).as("grant " + i).isGreaterThan(fencesInGrantOrder.get(i - 1));
        }
        assertThat(all.get(0).counter("work")).isEqualTo(clients * rounds);
    }
}
