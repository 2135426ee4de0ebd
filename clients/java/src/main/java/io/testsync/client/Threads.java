package io.testsync.client;

import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The few threads every client of a JVM shares, all daemons so a test JVM can always exit: one JDK
 * HttpClient (its selector reads every WebSocket), one timer (request timeouts, resume instants) and
 * a pool on which user code runs (future continuations, subscription handlers), never on the
 * thread that reads frames, so a handler may call the client back without stalling its own reply.
 */
final class Threads {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemons("testsync-client-callback"));

    private Threads() {
    }

    /** Lazily, so a JVM that never connects starts no selector thread. */
    private static final class Shared {
        static final HttpClient HTTP = HttpClient.newBuilder()
                .executor(Executors.newCachedThreadPool(daemons("testsync-client-io")))
                .build();
    }

    static HttpClient http() {
        return Shared.HTTP;
    }

    static ScheduledThreadPoolExecutor timer() {
        return TIMER;
    }

    static ExecutorService callbacks() {
        return CALLBACKS;
    }

    /** Completes {@code f} with {@code value}, on the callback pool, at {@link System#nanoTime()} {@code atNanos} (at once when past). */
    static <T> void completeAt(CompletableFuture<T> f, long atNanos, T value) {
        long delay = atNanos - System.nanoTime();
        if (delay <= 0) CALLBACKS.execute(() -> f.complete(value));
        else TIMER.schedule(() -> CALLBACKS.execute(() -> f.complete(value)), delay, TimeUnit.NANOSECONDS);
    }

    /** Parks the calling thread until {@link System#nanoTime()} reaches {@code atNanos}; false when interrupted first. */
    static boolean sleepUntil(long atNanos) {
        long left;
        while ((left = atNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemons("testsync-client-timer"));
        t.setRemoveOnCancelPolicy(true); // a thousand answered requests must not leave a thousand dead timeouts queued
        return t;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
