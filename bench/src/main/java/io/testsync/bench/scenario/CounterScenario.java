package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.load.Await;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.http.WebSocket;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * C agents of one run in a closed loop of {@code counter} (add 1 to one run-wide counter), against
 * the same C connections in a closed loop of {@code get_connection_count}, in alternating slices:
 * what a stateful, atomic command costs over the cheapest command of the same server. Afterwards
 * the counter must hold exactly the number of additions sent.
 */
public final class CounterScenario implements Scenario {
    static final String COUNTER = "bench";
    static final String VERIFIED = "verified_additions";

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public List<Row> run(Env env) {
        int c = env.profile().counterConnections();
        Row.Spec spec = new Row.Spec("counter", "c=" + c, "replies/s", "get_connection_count " + c + "c",
                Target.atLeast(Measure.Keys.RATIO, 0.85, ">= 0.85 x get_connection_count"));
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            return List.of(Repeat.rows(env, spec, r -> {
                String run = "counter-" + c + "-" + r + "-" + System.nanoTime();
                CounterExchange counter = new CounterExchange(COUNTER, c);
                RttScenario.CountExchange count = new RttScenario.CountExchange(c);
                try (WsLoops agents = WsLoops.open(env, connector, server, c, i -> "/register/" + run, counter)) {
                    Interleave.Pair p = Interleave.run(env.profile(), r, agents::run, w -> agents.run(w, count));
                    server.process().requireAlive();
                    long total = requireTotal(env, agents.sockets().get(0), counter);
                    return Measures.latency(new Measure().versus(p.figure().perSecond(), p.limit().perSecond()), p.figure())
                            .add(VERIFIED, total)
                            .add(Measure.Keys.ERRORS, p.figure().errors() + p.limit().errors());
                }
            }));
        }
    }

    /** Reads the counter (add 0) on connection 0's lane; it must equal every addition sent, or the figure is void. */
    static long requireTotal(Env env, WebSocket ws, CounterExchange counter) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        env.lanes().get(env.lanes().laneOf(0)).runOnContext(v -> {
            ws.textMessageHandler(answer::complete);
            ws.writeTextMessage(counter.readFrame(0));
        });
        String text = Await.on(answer, 30, TimeUnit.SECONDS, "reading counter " + COUNTER);
        long value = counter.value(text, 0);
        long sent = counter.totalSent();
        if (value != sent) {
            throw new IllegalStateException("counter " + COUNTER + " holds " + (value < 0 ? text : Long.toString(value))
                    + " after " + sent + " additions of 1");
        }
        return value;
    }
}
