package io.testsync.server.admin;

import io.testsync.server.runs.Member;
import io.testsync.server.runs.Run;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.runs.RunSnapshot;
import io.testsync.server.store.DataStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The {@link Fleet} of one server: the runs of its {@link RunRegistry} and their data in its store.
 * Work that grows with the number of runs (listing 10,000 of them) runs on {@code worker}, never on
 * the caller's thread, which may be an event loop.
 */
public final class LocalFleet implements Fleet {
    /** The close code and reason with which an operator removes a connection (SPEC §10). */
    static final int REMOVED_CODE = 4001;
    static final String REMOVED_REASON = "removed by operator";
    private static final Comparator<RunSummary> MOST_RECENT_FIRST =
            Comparator.comparingLong(RunSummary::lastActivityMs).reversed().thenComparing(RunSummary::id);

    private final RunRegistry registry;
    private final DataStore store;
    private final Executor worker;
    private final Feed feed = new Feed();
    /** The node id shown for every connection (cluster.node_id, also on a single node). */
    private final String node;

    public LocalFleet(RunRegistry registry, DataStore store, Executor worker, String node) {
        this.node = node;
        this.registry = registry;
        this.store = store;
        this.worker = worker;
        registry.onChange(feed);
    }

    /** Data written over HTTP or WebSocket changes a run too: the store decorator reports it here. */
    @Override
    public void dataChanged(String testId) {
        feed.accept(testId);
    }

    @Override
    public CompletionStage<List<RunSummary>> runs() {
        return CompletableFuture.supplyAsync(() -> {
            List<RunSummary> out = new ArrayList<>(registry.runCount());
            for (Run run : registry.runs()) {
                // the cheap reads, not a whole snapshot: 10,000 runs are listed in a few milliseconds
                out.add(new RunSummary(run.testId(), run.connectionCount(), run.checkpointsWaiting(), run.lastActivityMs()));
            }
            out.sort(MOST_RECENT_FIRST);
            return out;
        }, worker);
    }

    @Override
    public CompletionStage<List<RunSummary>> runs(Collection<String> ids) {
        return CompletableFuture.supplyAsync(() -> {
            List<RunSummary> out = new ArrayList<>(ids.size());
            for (String id : ids) {
                Run run = registry.find(id);
                if (run != null) out.add(new RunSummary(id, run.connectionCount(), run.checkpointsWaiting(), run.lastActivityMs()));
            }
            return out;
        }, worker);
    }

    @Override
    public CompletionStage<Optional<RunDetail>> run(String testId) {
        Run run = registry.find(testId);
        RunSnapshot snapshot = run == null ? null : run.snapshot();
        return store.get(testId).thenApply(data -> {
            if (snapshot == null && data.isEmpty()) return Optional.empty();
            RunDetail.Data d = data.map(x -> new RunDetail.Data(x.bytes().length, x.contentType())).orElse(null);
            return Optional.of(Snapshots.detail(testId, snapshot, d, node));
        });
    }

    @Override
    public CompletionStage<Outcome> release(String testId, String checkpoint) {
        Run run = registry.find(testId);
        if (run == null) return CompletableFuture.completedFuture(Outcome.missing(Missing.RUN));
        int released = run.releaseByOperator(checkpoint);
        if (released >= 0) feed.accept(testId);
        return CompletableFuture.completedFuture(released < 0 ? Outcome.missing(Missing.CHECKPOINT) : Outcome.done(released));
    }

    @Override
    public CompletionStage<Outcome> kick(String testId, String connection) {
        Run run = registry.find(testId);
        if (run == null) return CompletableFuture.completedFuture(Outcome.missing(Missing.RUN));
        Member member = run.member(connection);
        if (member == null) return CompletableFuture.completedFuture(Outcome.missing(Missing.CONNECTION));
        member.disconnect(REMOVED_CODE, REMOVED_REASON);
        return CompletableFuture.completedFuture(Outcome.done(0));
    }

    @Override
    public CompletionStage<Outcome> delete(String testId) {
        boolean hadState = registry.remove(testId, REMOVED_CODE, REMOVED_REASON) >= 0;
        return store.delete(testId).thenApply(hadData -> {
            if (hadData || hadState) feed.accept(testId);
            return hadState || hadData ? Outcome.done(0) : Outcome.missing(Missing.RUN);
        });
    }

    @Override
    public AutoCloseable onChange(Consumer<String> listener) {
        return feed.add(listener);
    }

    /** Fans the registry's one change hook out to the live page's listeners. */
    private static final class Feed implements Consumer<String> {
        private final List<Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void accept(String testId) {
            for (Consumer<String> l : listeners) l.accept(testId);
        }

        AutoCloseable add(Consumer<String> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
