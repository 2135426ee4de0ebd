package io.testsync.server.runs;

import java.util.concurrent.CompletionStage;

/**
 * The coordination of runs, behind one interface so that it can live in this process or on a
 * shared backend (SPEC §11): the WebSocket layer admits agents through it and acts through the
 * {@link Membership} it hands out, and never sees how or where the state is kept.
 *
 * <p>Rules for implementations: every decision is taken in one place, exactly once, and returns
 * its outcome; what the decision means for other members is delivered through {@link Member}
 * after it is taken, never while a lock is held; nothing assumes the members live in this JVM;
 * time comes from the injected {@link Scheduler}.
 */
public interface Coordinator {

    /** The member joins run {@code testId} (created when needed) and counts at once, unless a limit refuses it. */
    CompletionStage<Admission> admit(String testId, Member member);

    /**
     * What begins every connection id this process makes (SPEC §9.1: unique for the life of the server or
     * cluster): nothing on one server; in a cluster, a name of this node's incarnation, so that two nodes
     * never hand out the same id.
     */
    default String connectionIdPrefix() {
        return "";
    }

    /** What became of an admission: a membership, or the limit that refused it (nothing changed). */
    sealed interface Admission {
        record Admitted(Membership membership) implements Admission {}

        /**
         * @param limit the configuration key, e.g. {@code "limits.max_connections_per_run"}
         * @param value that key's value, so the rejection can say what the bound is
         */
        record Refused(String limit, int value) implements Admission {}
    }
}
