package io.testsync.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.testsync.server.runs.RunRegistry;
import io.testsync.server.store.DataStore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;

/**
 * The server's metrics in Micrometer, scraped as Prometheus text on {@code /metrics}. Every meter
 * is registered up front or, for an HTTP status not seen before, once on first use; after that
 * counting is an array index and an add, with no lookup by name or tags on the hot path.
 */
public final class ServerMetrics implements Recorder, AutoCloseable {
    /** The Prometheus text exposition format that {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final int STATUSES = 600; // HTTP status codes are 100..599; anything else counts as "other"
    private static final HttpRoute[] ROUTES = HttpRoute.values();
    /** Series that exist from the start (at 0), so rate() sees their first increase. */
    private static final int[][] EXPECTED_STATUSES = {
            /* TESTS    */ {200, 204, 400, 401, 403, 404, 405, 409, 413, 500, 503},
            /* HEALTH   */ {200},
            /* READYZ   */ {200, 503},
            /* VERSION  */ {200},
            /* METRICS  */ {200, 401, 403},
            /* REGISTER */ {101, 400, 401, 403, 503},
            /* OTHER    */ {404},
            /* ADMIN    */ {200, 204, 400, 401, 403, 404, 405, 503},
            /* UI       */ {200, 301, 401, 403, 404, 405},
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicReferenceArray<Counter> http = new AtomicReferenceArray<>(ROUTES.length * STATUSES);
    private final List<Object> held = new CopyOnWriteArrayList<>();

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        for (HttpRoute route : ROUTES) {
            for (int status : EXPECTED_STATUSES[route.ordinal()]) httpCounter(route, status);
        }
    }

    /** Gauges and counters read from the registry of runs; runs/ itself knows no metrics library. */
    public void bind(RunRegistry runs) {
        bind(runs, RunGauges.of(runs));
    }

    /** {@link #bind(RunRegistry)} with the gauges read from {@code gauges} (a cluster's, SPEC §11). */
    public void bind(RunRegistry runs, RunGauges gauges) {
        Gauge.builder("testsync.runs", gauges, RunGauges::runs).strongReference(true)
                .description("Runs held in memory: runs with agents connected or checkpoints kept").register(registry);
        Gauge.builder("testsync.connections", gauges, RunGauges::connections).strongReference(true)
                .description("Live agent WebSocket connections").register(registry);
        Gauge.builder("testsync.checkpoints.waiting", gauges, RunGauges::waitingCheckpoints).strongReference(true)
                .description("Checkpoints created and not yet released").register(registry);
        releases(runs, "complete", RunRegistry::completedReleases);
        releases(runs, "timeout", RunRegistry::timedOutReleases);
        releases(runs, "participant_lost", RunRegistry::participantLostReleases);
        releases(runs, "operator_released", RunRegistry::operatorReleases);
        Gauge.builder("testsync.topics", gauges, RunGauges::topics).strongReference(true)
                .description("Topics held over all runs").register(registry);
        Gauge.builder("testsync.locks.held", gauges, RunGauges::locksHeld).strongReference(true)
                .description("Locks with a holder over all runs").register(registry);
        Gauge.builder("testsync.locks.waiters", gauges, RunGauges::lockWaiters).strongReference(true)
                .description("Agents waiting for a lock over all runs").register(registry);
    }

    private void releases(RunRegistry runs, String reason, ToLongFunction<RunRegistry> count) {
        FunctionCounter.builder("testsync.checkpoint.releases", runs, r -> count.applyAsLong(r))
                .description("Checkpoints released, by reason: target reached (complete), deadline passed (timeout), a fail_on_leave member left (participant_lost), or an operator released it (operator_released)")
                .tag("reason", reason).register(registry);
    }

    /** A counter read from elsewhere, such as retention's removals. */
    public void counter(String name, String description, java.util.function.LongSupplier count) {
        held.add(count); // Micrometer holds a function counter's object weakly; this supplier has no other holder
        FunctionCounter.builder(name, count, c -> c.getAsLong()).description(description).register(registry);
    }

    /** The store with its writes timed ({@code testsync.store.write}); the store itself stays unaware. */
    public DataStore timed(DataStore store) {
        return new TimedStore(store, op -> Timer.builder("testsync.store.write")
                .description("Time from submitting a write to its acknowledgement (on disk, for sqlite), by operation")
                .tag("op", op)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry),
                op -> Counter.builder("testsync.store.write.failures")
                        .description("Writes the store failed (disk full, read-only or locked file...), by operation")
                        .tag("op", op).register(registry));
    }

    @Override
    public void httpRequest(HttpRoute route, int status) {
        int index = route.ordinal() * STATUSES + (status >= 100 && status < STATUSES ? status : 0);
        Counter counter = http.get(index);
        if (counter == null) counter = httpCounter(route, status);
        counter.increment();
    }

    private Counter httpCounter(HttpRoute route, int status) {
        boolean valid = status >= 100 && status < STATUSES;
        // register() returns the meter already registered under the same name and tags: racing first uses agree.
        Counter counter = Counter.builder("testsync.http.requests")
                .description("HTTP requests answered, by route and status")
                .tag("route", route.label()).tag("status", valid ? Integer.toString(status) : "other")
                .register(registry);
        http.set(route.ordinal() * STATUSES + (valid ? status : 0), counter);
        return counter;
    }

    @Override
    public Runnable wsCommand(String label) {
        // Micrometer hands back the same counter for the same label, so every listener shares one series.
        Counter counter = Counter.builder("testsync.ws.commands")
                .description("WebSocket frames executed, by command (unknown: a name the protocol lacks; invalid: not an envelope)")
                .tag("command", label).register(registry);
        return counter::increment;
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Detaches the JVM listeners (GC notifications); the server calls it on stop. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
