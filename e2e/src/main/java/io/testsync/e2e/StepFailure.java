package io.testsync.e2e;

/**
 * A step did not see what the contract promises. The message says what was expected and what
 * arrived; it is printed as is, so it carries no stack trace.
 */
final class StepFailure extends Exception {

    StepFailure(String message) {
        super(message, null, false, false);
    }

    /** "expected X, got Y" — the one shape every failure message has. */
    static StepFailure expected(String expected, String arrived) {
        return new StepFailure("expected " + expected + ", got " + arrived);
    }
}
