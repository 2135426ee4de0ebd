package io.testsync.server.runs;

import java.util.List;
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

    /** {@code signal_entry} (SPEC §9.3): this member's seq for the state. */
    CompletionStage<Outcome<Long>> signalEntry(String state);

    /** {@code counter}: the value after adding {@code add} (0 reads it). */
    CompletionStage<Outcome<Long>> counter(String name, long add);

    /** {@code publish}: the message's seq; subscribers receive it through {@link Member#message}. */
    CompletionStage<Outcome<Long>> publish(String topic, String payload);

    /**
     * {@code subscribe}: the replay (messages with seq >= fromSeq already published), to be sent before
     * anything else of the topic; later messages reach the member through {@link Member#message}.
     */
    CompletionStage<Outcome<List<TopicMessage>>> subscribe(String topic, long fromSeq, String replyId);

    /** {@code unsubscribe}: false when the member did not follow the topic. */
    CompletionStage<Boolean> unsubscribe(String topic);

    /**
     * {@code lock}: the fence when granted at once, 0 when the member waits (then its grant or timeout
     * reaches it through {@link Member}).
     *
     * @param timeoutMs null = the default wait bound; 0 = forever
     */
    CompletionStage<Outcome<Long>> lock(String name, Long timeoutMs, String replyId);

    /** {@code unlock}: false when the member does not hold the lock. */
    CompletionStage<Boolean> unlock(String name);

    /** The member stops counting and leaves everything it waits at; a second call changes nothing. */
    void leave();
}
