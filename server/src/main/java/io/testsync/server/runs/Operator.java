package io.testsync.server.runs;

/** Outcomes of what the person running the fleet asks of a run (SPEC §10). */
public final class Operator {
    private Operator() {}

    /** The close code with which an operator removes a connection (SPEC §10). */
    public static final int REMOVED_CODE = 4001;
    /** The close reason sent with {@link #REMOVED_CODE}. */
    public static final String REMOVED_REASON = "removed by operator";
}
