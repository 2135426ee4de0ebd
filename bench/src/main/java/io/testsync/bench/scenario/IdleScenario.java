package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.EchoServer;
import io.testsync.bench.load.Await;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle agents (10,000 in the standard set, spread over 100 runs so no per-run limit is hit):
 * the server's resident memory (VmRSS) after they connected minus before, per connection. The same
 * is measured on the echo server, a Vert.x WebSocket server that keeps nothing per connection.
 * Each repetition starts fresh servers, so "before" is a server that has only been warmed up.
 */
public final class IdleScenario implements Scenario {
    /** KB here is 1000 bytes, the stricter reading of the "10 KB per connection". */
    static final double KB = 1000.0;
    private static final int WARMUP_CONNECTIONS = 200;
    private static final int IN_FLIGHT = 256;

    @Override
    public String name() {
        return "idle";
    }

    /**
     * Two rows: the fixed heap of the standard set, and the JVM's defaults (no options, as a bare
     * {@code java -jar} runs it, which sizes the heap from the machine's memory).
     */
    @Override
    public List<Row> run(Env env) {
        int n = env.profile().idleConnections();
        Row.Spec fixed = new Row.Spec("idle", "conns=" + n, "KB/conn", "echo server",
                Target.atMost(Measure.Keys.FIGURE, 10, "<= 10 KB/conn, -Xmx512m"));
        Row.Spec defaults = new Row.Spec("idle", "conns=" + n + " JVM defaults", "KB/conn", "echo server",
                Target.atMost(Measure.Keys.FIGURE, 10, "<= 10 KB/conn, no options"));
        try (WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            return List.of(row(env, connector, fixed, Launcher.STANDARD_JVM), row(env, connector, defaults, Launcher.DEFAULT_JVM));
        }
    }

    private static Row row(Env env, WsConnector connector, Row.Spec spec, List<String> jvm) {
        int n = env.profile().idleConnections();
        return Repeat.rows(env, spec, r -> {
            Memory server;
            try (Launched s = env.launcher().server(Launcher.Storage.MEMORY, jvm)) {
                server = measure(env, connector, s, n, "/register/idle-" + r + "-" + System.nanoTime() + "-", true);
            }
            Memory echo;
            try (Launched e = env.launcher().limit(EchoServer.class, "echo", jvm)) {
                echo = measure(env, connector, e, n, "/echo-", false);
            }
            return new Measure().versus(server.perConnection() / KB, echo.perConnection() / KB)
                    .put("server_rss_before_mb", server.before() / 1e6)
                    .put("server_rss_after_mb", server.after() / 1e6);
        });
    }

    /**
     * Resident bytes before and after n connections. Raw VmRSS, as the issue asks and as an operator
     * sees it: it includes heap the JVM touched while accepting them, not only what each one keeps.
     */
    record Memory(int connections, long before, long after) {
        double perConnection() {
            return (after - before) / (double) connections;
        }
    }

    private static Memory measure(Env env, WsConnector connector, Launched target, int n, String pathPrefix, boolean askCounts) {
        int runs = env.profile().idleRuns();
        // warm-up: load and compile the connection path, so "before" already holds that code
        WsConnector.closeAll(connector.connect(target.endpoint(), Math.min(WARMUP_CONNECTIONS, n),
                i -> pathPrefix + "warmup", IN_FLIGHT, (i, ws) -> { }, 60));
        long before = target.process().residentBytes();
        AtomicInteger dropped = new AtomicInteger();
        List<WebSocket> sockets = connector.connect(target.endpoint(), n, i -> pathPrefix + (i % runs), IN_FLIGHT,
                (i, ws) -> ws.closeHandler(v -> dropped.incrementAndGet()), 300);
        try {
            if (askCounts) requireCounts(env, sockets, runs, n);
            long after = target.process().residentBytes();
            if (dropped.get() > 0) throw new IllegalStateException(dropped.get() + " idle connections were closed by " + target.endpoint().name());
            return new Memory(n, before, after);
        } finally {
            WsConnector.closeAll(sockets);
        }
    }

    /** Asks one agent per run for the run's connection count: together they must be all n, or the figure is wrong. */
    private static void requireCounts(Env env, List<WebSocket> sockets, int runs, int n) {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int j = 0; j < Math.min(runs, sockets.size()); j++) {
            WebSocket ws = sockets.get(j);
            CompletableFuture<String> answer = new CompletableFuture<>();
            answers.add(answer);
            env.lanes().get(env.lanes().laneOf(j)).runOnContext(v -> {
                ws.textMessageHandler(answer::complete);
                ws.writeTextMessage("{\"command\":\"get_connection_count\"}");
            });
        }
        long total = 0;
        for (CompletableFuture<String> a : answers) {
            String text = Await.on(a, 30, TimeUnit.SECONDS, "get_connection_count of an idle run");
            int at = text.indexOf("\"count\":");
            if (at < 0) throw new IllegalStateException("unexpected answer to get_connection_count: " + text);
            int end = at + 8;
            while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
            total += Long.parseLong(text.substring(at + 8, end));
        }
        if (total != n) throw new IllegalStateException("the server counts " + total + " idle connections, expected " + n);
    }
}
