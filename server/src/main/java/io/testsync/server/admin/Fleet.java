package io.testsync.server.admin;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The runs as the person running the fleet sees them (SPEC §10): read, unstick, remove. Asynchronous
 * throughout, because in cluster mode (§11) the answer comes from Redis; an implementation never
 * blocks its caller, which may be an event loop.
 */
public interface Fleet {

    /** Every run held, most recently active first. */
    CompletionStage<List<RunSummary>> runs();

    /** The summaries of those of {@code ids} that are held (a missing id is a removed run), in no order. */
    CompletionStage<List<RunSummary>> runs(Collection<String> ids);

    /** One run in detail; empty when it has neither state nor data. */
    CompletionStage<Optional<RunDetail>> run(String testId);

    /** Releases the members waiting at a checkpoint with {@code operator_released}: {@link Outcome#count()} of them. */
    CompletionStage<Outcome> release(String testId, String checkpoint);

    /** Closes one connection with 4001; it leaves its run like any closed connection. */
    CompletionStage<Outcome> kick(String testId, String connection);

    /** Closes every agent of the run with 4001 and removes its state and its data. */
    CompletionStage<Outcome> delete(String testId);

    /**
     * Tells {@code listener} the testId of every run that changes from now on, possibly many times per
     * change and from any thread; it must only note the id. Coalescing is the listener's business.
     *
     * @return stops the notifications
     */
    AutoCloseable onChange(Consumer<String> listener);

    /** The store acknowledged a change of run {@code testId}'s data on this server. */
    void dataChanged(String testId);

    /**
     * What an action did: done (with a count where one is asked for), or what was not found.
     *
     * @param missing null when done
     * @param count   members released, for {@link #release}; 0 otherwise
     */
    record Outcome(Missing missing, int count) {
        public static Outcome done(int count) {
            return new Outcome(null, count);
        }

        public static Outcome missing(Missing what) {
            return new Outcome(what, 0);
        }

        public boolean isDone() {
            return missing == null;
        }
    }

    /** What an action did not find. */
    enum Missing { RUN, CHECKPOINT, CONNECTION }
}
