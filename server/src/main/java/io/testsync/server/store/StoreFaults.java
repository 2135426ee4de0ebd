package io.testsync.server.store;

import org.slf4j.Logger;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs storage faults once per outage, not once per request: a full disk under 1000 agents would
 * otherwise drown the log. The first failure after a success is logged at ERROR with its cause; the
 * next success logs that storage recovered.
 *
 * <p>Reads and writes are separate outages: a locked or full database still answers reads, and a
 * read that succeeds in the middle of a write outage must not announce a recovery (and so make the
 * next failed write log again, once per request).
 */
public final class StoreFaults {
    /** Which kind of storage operation failed or succeeded. */
    public enum Kind {
        READ("reads"), WRITE("writes");

        private final String plural;

        Kind(String plural) {
            this.plural = plural;
        }
    }

    private static final AtomicBoolean readsFailing = new AtomicBoolean(false);
    private static final AtomicBoolean writesFailing = new AtomicBoolean(false);

    private StoreFaults() {}

    public static void report(Logger log, Kind kind, String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (flag(kind).compareAndSet(false, true)) {
            log.error("storage {} failed ({}); answering internal errors until they succeed again: {}",
                    kind.plural, what, cause.toString(), cause);
        } else {
            log.debug("storage {} still failing ({}): {}", kind.plural, what, cause.toString());
        }
    }

    public static void recovered(Logger log, Kind kind) {
        AtomicBoolean failing = flag(kind);
        if (failing.get() && failing.compareAndSet(true, false)) log.info("storage {} succeed again", kind.plural);
    }

    private static AtomicBoolean flag(Kind kind) {
        return kind == Kind.READ ? readsFailing : writesFailing;
    }
}
