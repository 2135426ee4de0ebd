package io.testsync.server.runs;

import java.util.concurrent.CompletionStage;

/**
 * One member's place in its run: everything a connected agent can ask of the run's coordination.
 * Outcomes come back as futures (already complete when the state is in this process); effects on
 * other members reach them through {@link Member}.
 */
public interface Membership {

    /** The run's identifier. */
    String testId();

    /** Live connections of the run, this one included. */
    CompletionStage<Integer> connectionCount();

    /** Joins a checkpoint; the release reaches the member through {@link Member#release}, possibly before this completes. */
    CompletionStage<JoinOutcome> join(CheckpointJoin join, String replyId);

    /** The member stops counting and leaves everything it waits at; a second call changes nothing. */
    void leave();
}
