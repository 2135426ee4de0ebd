package io.testsync.server;

import io.testsync.server.config.Config;
import io.testsync.server.metrics.ServerMetrics;
import io.testsync.server.ops.OpsApi;
import io.testsync.server.ops.Readiness;
import io.testsync.server.retention.Activity;
import io.testsync.server.retention.ActivityStore;
import io.testsync.server.retention.RetentionSweeper;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.runs.Scheduler;
import io.testsync.server.store.DataStore;
import io.vertx.core.Vertx;

/**
 * What runs beside the data path, built, started and stopped together: metrics, the operations
 * endpoints ({@code /readyz}, {@code /version}, {@code /metrics}) and retention. Kept out of
 * {@link TestSyncServer} so that its wiring stays about listeners, store and runs.
 */
final class Operations implements AutoCloseable {
    /** /readyz: storage that has not answered by then is not ready; a result answers probes for a second. */
    private static final long READINESS_TIMEOUT_MS = 2_000;
    private static final long READINESS_REUSE_MS = 1_000;

    private final Config.Retention retention;
    private final ServerMetrics metrics;
    private final Activity activity;
    private RetentionSweeper sweeper;
    private OpsApi api;

    Operations(Config.Retention retention, ServerMetrics metrics) {
        this.retention = retention;
        this.metrics = metrics;
        // Reads and writes of a run's data, remembered in memory for retention (the store persists only write times).
        this.activity = new Activity(System::currentTimeMillis, Math.min(1_000, retention.maxIdle().toMillis() / 4));
    }

    /** The store as the server uses it: writes timed, every use of a run's data noted for retention. */
    DataStore wrap(DataStore store) {
        return metrics.timed(new ActivityStore(store, activity));
    }

    /**
     * Connects metrics and retention to the runs; {@code store} is the one {@link #wrap} returned, {@code gauges}
     * what the run gauges read (the registry's, or the cluster's), {@code events} whether what carries the
     * other nodes' decisions here is up (always, on one node): {@code /readyz} needs it as well as storage.
     */
    void bind(DataStore store, RunRegistry registry, Scheduler clock, io.testsync.server.metrics.RunGauges gauges,
              java.util.function.BooleanSupplier events) {
        metrics.bind(registry, gauges);
        sweeper = new RetentionSweeper(store, registry, activity, clock, retention.maxIdle().toMillis());
        metrics.counter("testsync.retention.removed.runs", "Runs removed by retention (idle for retention.max_idle)",
                sweeper::removedRuns);
        api = new OpsApi(new Readiness(store, events, READINESS_TIMEOUT_MS, READINESS_REUSE_MS, System::currentTimeMillis),
                Version.get(), metrics::scrape, ServerMetrics.CONTENT_TYPE);
    }

    ServerMetrics metrics() {
        return metrics;
    }

    OpsApi api() {
        return api;
    }

    /** One sweep now, then every sweep_interval; on a worker thread, never on an event loop. */
    void startRetention(Vertx vertx) {
        sweeper.start(retention.sweepInterval().toMillis(), task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false));
    }

    /** Before storage closes: no sweep starts any more. */
    void stopRetention() {
        if (sweeper != null) sweeper.stop();
    }

    @Override
    public void close() {
        stopRetention();
        metrics.close();
    }
}
