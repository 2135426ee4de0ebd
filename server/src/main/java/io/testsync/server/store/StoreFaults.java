package io.testsync.server.store;

import org.slf4j.Logger;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs storage faults once per outage, not once per request: a full disk under 1000 agents would
 * otherwise drown the log. The first failure after a success is logged at ERROR with its cause; the
 * next success logs that storage recovered.
 */
public final class StoreFaults {
    private static final AtomicBoolean failing = new AtomicBoolean(false);

    private StoreFaults() {}

    public static void report(Logger log, String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (failing.compareAndSet(false, true)) {
            log.error("storage failed ({}); answering internal errors until it recovers: {}", what, cause.toString(), cause);
        } else {
            log.debug("storage still failing ({}): {}", what, cause.toString());
        }
    }

    public static void recovered(Logger log) {
        if (failing.get() && failing.compareAndSet(true, false)) log.info("storage answers again");
    }
}
