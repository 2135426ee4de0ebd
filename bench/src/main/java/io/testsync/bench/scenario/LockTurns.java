package io.testsync.bench.scenario;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames of the lock scenario and what the answers must be: a grant echoes the lock's id, names
 * the lock and carries a fence larger than every fence granted before (SPEC §9.3: a fencing token),
 * and nobody else holds the lock while it is granted. Shared by the contending agents: a grant
 * reaches its agent only after the previous holder sent its unlock, so the checks need no lock.
 */
final class LockTurns {
    private final String name;
    private final long timeoutMs;
    private final AtomicLong lastFence = new AtomicLong();
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicLong grants = new AtomicLong();

    LockTurns(String name, long timeoutMs) {
        this.name = name;
        this.timeoutMs = timeoutMs;
    }

    String lockFrame(long id) {
        return "{\"command\":\"lock\",\"id\":" + id + ",\"content\":{\"name\":\"" + name + "\",\"timeout_ms\":" + timeoutMs + "}}";
    }

    String unlockFrame(long id) {
        return "{\"command\":\"unlock\",\"id\":" + id + ",\"content\":{\"name\":\"" + name + "\"}}";
    }

    /**
     * True when {@code text} is the grant of the lock asked with {@code id}, with a fence above every
     * earlier one, while nobody holds the lock; the agent then holds it until {@link #releasing}.
     */
    boolean granted(String text, long id) {
        String head = "{\"command\":\"lock\",\"id\":" + id + ",\"content\":{\"name\":\"" + name + "\",\"acquired\":true,\"fence\":";
        if (!text.startsWith(head) || !text.endsWith("}}")) return false;
        long fence;
        try {
            fence = Long.parseLong(text.substring(head.length(), text.length() - 2));
        } catch (NumberFormatException e) {
            return false;
        }
        long before = lastFence.getAndAccumulate(fence, Math::max);
        boolean alone = holders.incrementAndGet() == 1;
        if (fence <= before || !alone) {
            holders.decrementAndGet();
            return false;
        }
        grants.incrementAndGet();
        return true;
    }

    /** The holder is about to send its unlock: from now on the lock may be granted to another. */
    void releasing() {
        holders.decrementAndGet();
    }

    /** True when {@code text} is the answer to the unlock sent with {@code id}. */
    boolean released(String text, long id) {
        return text.equals("{\"command\":\"unlock\",\"id\":" + id + ",\"content\":{\"name\":\"" + name + "\",\"released\":true}}");
    }

    /** Every grant that passed the checks, warm-up included. */
    long grants() {
        return grants.get();
    }

    long lastFence() {
        return lastFence.get();
    }
}
