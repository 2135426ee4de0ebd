package io.testsync.server.runs;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Effects decided under a run's lock and carried out after it is released: members' code (a socket
 * write) must never run while the run is locked, or one slow member would stall the whole run.
 */
final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private record Delivery(Member member, String what, Runnable action) {}

    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();

    void release(Member member, Release release, String replyId) {
        deliveries.add(new Delivery(member, "release of checkpoint '" + release.identifier() + "'",
                () -> member.release(release, replyId)));
    }

    void lockGranted(Member member, String name, long fence, String replyId) {
        deliveries.add(new Delivery(member, "grant of lock '" + name + "'", () -> member.lockGranted(name, fence, replyId)));
    }

    void lockTimedOut(Member member, String name, String replyId) {
        deliveries.add(new Delivery(member, "timeout of lock '" + name + "'", () -> member.lockTimedOut(name, replyId)));
    }

    void cancel(Scheduler.Cancellable timer) {
        if (timer != null) {
            timers.add(timer);
        }
    }

    /** Runs the effects; must be called without holding the run's lock. */
    void run() {
        // A cancelled timer that fires anyway finds its wait decided and does nothing, so
        // cancelling late (outside the lock) is only an optimisation, never a correctness matter.
        for (Scheduler.Cancellable timer : timers) {
            timer.cancel();
        }
        for (Delivery d : deliveries) {
            safely(d.member(), d.what(), d.action());
        }
    }

    /** Runs one member's delivery; one broken connection must not keep the effect from the other members. */
    static void safely(Member member, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("{} to member {} failed", what, member.id(), e);
        }
    }
}
