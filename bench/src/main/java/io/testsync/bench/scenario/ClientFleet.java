package io.testsync.bench.scenario;

import io.testsync.bench.load.Histogram;
import io.testsync.client.Options;
import io.testsync.client.Release;
import io.testsync.client.TestSyncClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * N {@link TestSyncClient}s of one run in this JVM, each with a thread of its own that calls the
 * blocking {@code checkpoint()} as a test would, and notes when it returned. Also plays the floor:
 * the same threads parked until one common instant, which is as close together as threads of one
 * JVM on this machine can resume at all.
 */
final class ClientFleet implements AutoCloseable {
    /** Handshakes in flight while connecting: enough to be quick, few enough not to look like a flood. */
    private static final int CONNECTING = 64;
    private static final long WAIT_SECONDS = 60;

    private final List<TestSyncClient> clients;
    private final ExecutorService threads;

    private ClientFleet(List<TestSyncClient> clients) {
        this.clients = clients;
        this.threads = Executors.newFixedThreadPool(clients.size(), r -> {
            Thread t = new Thread(r, "bench-agent");
            t.setDaemon(true);
            return t;
        });
    }

    static ClientFleet connect(URI server, String run, Options base, int agents) throws Exception {
        Semaphore slots = new Semaphore(CONNECTING);
        List<CompletableFuture<TestSyncClient>> opening = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            slots.acquire();
            opening.add(TestSyncClient.connectAsync(server, run, base.agent("agent-" + i)).whenComplete((c, e) -> slots.release()));
        }
        List<TestSyncClient> clients = new ArrayList<>(agents);
        try {
            for (CompletableFuture<TestSyncClient> f : opening) clients.add(f.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            for (CompletableFuture<TestSyncClient> f : opening) f.thenAccept(TestSyncClient::close);
            throw e;
        }
        return new ClientFleet(clients);
    }

    /** What one round measured. */
    record Result(long[] returnedAt, long[] arrivedAt, long[] lateness, int zeroStartIn) {
        static long spread(long[] instants) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (long t : instants) {
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            return last - first;
        }

        void lateness(Histogram into) {
            for (long l : lateness) into.record(l);
        }
    }

    /** Every client joins {@code identifier} (target: all of them) from its own thread; returns once all have returned. */
    Result play(String identifier) throws Exception {
        int n = clients.size();
        long[] returned = new long[n];
        long[] arrived = new long[n];
        long[] late = new long[n];
        int[] zero = new int[n];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            calls.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                Release r = clients.get(k).checkpoint(identifier, n, java.time.Duration.ofSeconds(WAIT_SECONDS));
                returned[k] = System.nanoTime();
                arrived[k] = r.receivedAtNanos();
                late[k] = returned[k] - r.resumeAtNanos();
                zero[k] = r.startInMs() == 0 ? 1 : 0;
                return null;
            }));
        }
        ready.await();
        go.countDown();
        for (Future<?> f : calls) f.get(WAIT_SECONDS + 10, TimeUnit.SECONDS);
        int zeros = 0;
        for (int z : zero) zeros += z;
        return new Result(returned, arrived, late, zeros);
    }

    /** The floor: every thread parks until the same instant, 50 ms ahead; the spread of their wake-ups. */
    long floorSpread() throws Exception {
        int n = clients.size();
        long[] woke = new long[n];
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<Future<?>> parks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            parks.add(threads.submit(() -> {
                long left;
                while ((left = at - System.nanoTime()) > 0) LockSupport.parkNanos(left);
                woke[k] = System.nanoTime();
            }));
        }
        for (Future<?> f : parks) f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return Result.spread(woke);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        clients.parallelStream().forEach(TestSyncClient::close);
    }
}
