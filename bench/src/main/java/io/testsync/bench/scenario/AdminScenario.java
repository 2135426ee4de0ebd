package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.load.Histogram;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.Window;
import io.testsync.bench.load.WsClosedLoop;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.http.WebSocket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /api/v1/runs} with N runs held in memory (issue 10): the listing's latency, and whether
 * it stalls the server's event loops, seen as the round trip of one agent's closed loop of
 * {@code get_connection_count}: its p99 while listings run against its p99 just before, same server.
 */
public final class AdminScenario implements Scenario {
    static final String PROBE_QUIET = "probe_p99_quiet_ms";
    static final String PROBE_LISTING = "probe_p99_listing_ms";
    static final String PROBE_ANSWERS = "probe_answers_listing";
    static final String LISTINGS = "listings";
    /** The probe's windows while listings run: short, so the last one ends soon after the listings do. */
    private static final Duration PROBE_SLICE = Duration.ofMillis(100);

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public List<Row> run(Env env) {
        int runs = env.profile().adminRuns();
        int requests = env.profile().adminRequests();
        Row.Spec spec = new Row.Spec("admin", "list runs=" + runs, "ms p99 listing", "",
                Target.atMost(Measure.Keys.MAX, RunListing.BOUND_SECONDS * 1000.0, "max <= 10 s"));
        String prefix = "admin-" + System.nanoTime() + "-";
        boolean[] filled = {false};
        ExecutorService lister = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-admin-lister"));
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             WsConnector connector = new WsConnector(env.vertx(), env.lanes());
             // the probe lives on lane 0; the listings are read on the last lane (the same one on a single core)
             RunListing listing = new RunListing(env.vertx(), env.lanes().get(env.lanes().size() - 1), server.endpoint())) {
            return List.of(Repeat.rows(env, spec, r -> {
                if (!filled[0]) {
                    long t0 = System.nanoTime();
                    HeldRuns.create(env, connector, server, prefix, runs);
                    filled[0] = true;
                    env.progress("  admin: %d runs held after %.1f s", runs, (System.nanoTime() - t0) / 1e9);
                }
                // the probe joins run 0, one of the N, so the listing still holds exactly N runs
                List<WebSocket> probe = connector.connect(server.endpoint(), 1, i -> "/register/" + prefix + 0, 1, (i, ws) -> { }, 60);
                try {
                    RttScenario.CountExchange count = new RttScenario.CountExchange(1);
                    listing.measure(Math.max(1, requests / 10), runs); // warm-up: JIT of the listing path
                    LoopResult quiet = WsClosedLoop.run(env.lanes(), probe, count,
                            Window.startingNow(env.profile().warmupBefore(r), env.profile().measure()));
                    CompletableFuture<Histogram> listed = CompletableFuture.supplyAsync(() -> listing.measure(requests, runs), lister);
                    LoopResult during = null;
                    while (!listed.isDone()) {
                        LoopResult slice = WsClosedLoop.run(env.lanes(), probe, count, Window.startingNow(Duration.ZERO, PROBE_SLICE));
                        during = during == null ? slice : during.plus(slice);
                    }
                    Histogram latency = listedOrThrow(listed);
                    server.process().requireAlive();
                    long errors = quiet.errors() + (during == null ? 0 : during.errors());
                    if (during == null || during.answered() == 0) {
                        throw new IllegalStateException("the probe agent got no answer while the listings ran");
                    }
                    return Measures.latency(new Measure().put(Measure.Keys.FIGURE, latency.percentileMillis(99)), latency)
                            .put(PROBE_QUIET, quiet.latency().percentileMillis(99))
                            .put(PROBE_LISTING, during.latency().percentileMillis(99))
                            .add(PROBE_ANSWERS, during.answered())
                            .add(LISTINGS, latency.count())
                            .add(Measure.Keys.ERRORS, errors);
                } finally {
                    WsConnector.closeAll(probe);
                }
            }));
        } finally {
            lister.shutdownNow();
        }
    }

    /** The listings' latencies, or their failure with its own message (not wrapped in a CompletionException). */
    private static Histogram listedOrThrow(CompletableFuture<Histogram> listed) {
        try {
            return listed.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }
}
