package io.testsync.server.runs;

/** What became of a connection's attempt to join a run: it counts, or a limit refused it (SPEC §7). */
public sealed interface Attach {

    /** The member joined {@code run} and counts in it from now on. */
    record Attached(Run run) implements Attach {}

    /**
     * Nothing changed: a configured bound is reached.
     *
     * @param limit the configuration key, e.g. {@code "limits.max_connections_per_run"}
     * @param value that key's value, so the rejection can say what the bound is
     */
    record Refused(String limit, int value) implements Attach {}
}
