package io.testsync.server.runs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's named locks (SPEC §9.3): one holder at a time, waiters granted in the order they asked,
 * a fencing token that grows with every grant, released when the holder's connection closes. Not
 * thread-safe: guarded by the lock of the {@link Run} that holds it.
 */
final class Locks {

    /** A member waiting for a lock, with the id its grant will echo and its timeout timer. */
    static final class Waiter {
        final Member member;
        final String replyId;
        Scheduler.Cancellable timer;

        Waiter(Member member, String replyId) {
            this.member = member;
            this.replyId = replyId;
        }
    }

    private static final class Lock {
        Member holder;
        /** Fence of the latest grant; 0 before the first. Kept while the lock is free, so fences never repeat. */
        long fence;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    }

    /** What a lock request came to: granted now (fence), or queued (waiter; its grant or timeout is delivered later). */
    record Request(long fence, Waiter waiter) {
        boolean granted() {
            return waiter == null;
        }
    }

    private final Map<String, Lock> locks = new HashMap<>();
    private int held;
    private int waiting;

    Outcome<Request> lock(Member member, String name, String replyId, int maxLocks) {
        Lock lock = locks.get(name);
        if (lock == null) {
            if (locks.size() >= maxLocks) return Outcome.limit(RunRegistry.MAX_LOCKS_PER_RUN, maxLocks);
            lock = new Lock();
            locks.put(name, lock);
        }
        if (lock.holder == member) return Outcome.invalid("this connection already holds lock " + name);
        for (Waiter w : lock.waiters) {
            if (w.member == member) return Outcome.invalid("this connection already waits for lock " + name);
        }
        if (lock.holder == null) {
            lock.holder = member;
            held++;
            return Outcome.ok(new Request(++lock.fence, null));
        }
        Waiter waiter = new Waiter(member, replyId);
        lock.waiters.add(waiter);
        waiting++;
        return Outcome.ok(new Request(0, waiter));
    }

    /** Releases a lock the member holds and grants it to the next waiter; false when the member does not hold it. */
    boolean unlock(Member member, String name, Deliveries out) {
        Lock lock = locks.get(name);
        if (lock == null || lock.holder != member) return false;
        handOver(name, lock, out);
        return true;
    }

    /** The waiter's timeout: it stops waiting, unless it was granted first (then nothing happens). */
    boolean expire(String name, Waiter waiter, Deliveries out) {
        Lock lock = locks.get(name);
        if (lock == null || !lock.waiters.remove(waiter)) return false;
        waiting--;
        out.lockTimedOut(waiter.member, name, waiter.replyId);
        return true;
    }

    /** A closing member: its locks go to their next waiters, its waits end silently. */
    void leave(Member member, Deliveries out) {
        locks.forEach((name, lock) -> {
            for (Iterator<Waiter> it = lock.waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.member == member) {
                    it.remove();
                    waiting--;
                    out.cancel(w.timer);
                }
            }
            if (lock.holder == member) handOver(name, lock, out);
        });
    }

    private void handOver(String name, Lock lock, Deliveries out) {
        Waiter next = lock.waiters.poll();
        if (next == null) {
            lock.holder = null;
            held--;
            return;
        }
        waiting--;
        lock.holder = next.member;
        out.cancel(next.timer);
        out.lockGranted(next.member, name, ++lock.fence, next.replyId);
    }

    /** Forgets every lock; the waiters' timers are cancelled (their connections are being closed). */
    void clear(Deliveries out) {
        for (Lock lock : locks.values()) for (Waiter w : lock.waiters) out.cancel(w.timer);
        locks.clear();
        held = 0;
        waiting = 0;
    }

    int held() {
        return held;
    }

    int waiting() {
        return waiting;
    }

    int size() {
        return locks.size();
    }

    /** For the management API: every lock by name, with its holder and its waiters in order. */
    List<RunSnapshot.LockView> views() {
        List<RunSnapshot.LockView> views = new ArrayList<>();
        new TreeMap<>(locks).forEach((name, lock) -> {
            List<MemberInfo> waiters = new ArrayList<>();
            for (Waiter w : lock.waiters) waiters.add(w.member.info());
            views.add(new RunSnapshot.LockView(name, lock.holder == null ? null : lock.holder.info(), waiters, lock.fence));
        });
        return views;
    }
}
