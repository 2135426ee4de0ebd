package io.testsync.server.cluster;

import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;

/**
 * Deadlines of the checkpoints this node's members wait at. Every node with a waiting member arms one
 * timer per checkpoint; the first to fire asks the script, which fails the checkpoint with a timeout
 * only if it is still the same waiting checkpoint and Redis's clock has passed its deadline (else it
 * answers how long is left, and the timer is armed again). So the timeout is decided once, and a node
 * that dies takes no deadline with it. On the coordinator's context only.
 */
final class CheckpointTimers {
    private final RedisCoordinator c;
    private final Map<String, Long> timers = new HashMap<>();

    CheckpointTimers(RedisCoordinator c) {
        this.c = c;
    }

    private static String key(String testId, String identifier, String gen) {
        return testId + '\n' + identifier + '\n' + gen;
    }

    /** Arms the deadline of checkpoint generation {@code gen} unless this node already has. */
    void arm(String testId, String identifier, String gen, long remainingMs) {
        String key = key(testId, identifier, gen);
        if (timers.containsKey(key)) return;
        schedule(key, testId, identifier, gen, remainingMs);
    }

    private void schedule(String key, String testId, String identifier, String gen, long delayMs) {
        Vertx vertx = c.vertx;
        timers.put(key, vertx.setTimer(Math.max(1, delayMs), id -> c.onContext(() -> {
            if (!id.equals(timers.get(key))) return; // a boxed Long: == held only for ids up to 127
            c.eval(testId, java.util.List.of("expire", identifier, gen, Long.toString(c.settings.releaseLeadMs())))
                    .onComplete(done -> {
                        if (!id.equals(timers.get(key))) return; // a boxed Long: == held only for ids up to 127
                        if (done.failed()) {
                            schedule(key, testId, identifier, gen, 1_000); // Redis away: ask again
                        } else if (done.result().get(0).toString().equals("early")) {
                            schedule(key, testId, identifier, gen, done.result().get(1).toLong());
                        } else {
                            timers.remove(key);
                        }
                    });
        })));
    }

    /** A release of the checkpoint arrived: whatever generation this node armed is decided. */
    void released(String testId, String identifier) {
        String prefix = testId + '\n' + identifier + '\n';
        timers.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) return false;
            c.vertx.cancelTimer(e.getValue());
            return true;
        });
    }

    /** The coordinator closes: its timers go. */
    void close() {
        timers.values().forEach(c.vertx::cancelTimer);
        timers.clear();
    }
}
