package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.Window;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

import java.util.List;

/**
 * Two agents of one run contending one lock, each in a closed loop of {@code lock} then, once
 * granted, {@code unlock}: the rate at which the server hands the lock over. Every grant is checked
 * (its fence above all earlier ones, nobody else holding). No limit and no target: issue 7 asks
 * for the figure only.
 */
public final class LockScenario implements Scenario {
    static final int AGENTS = 2;
    static final String LOCK = "bench";
    /** Far beyond any hand-over: a wait that times out is a wrong answer, not a slow one. */
    private static final long WAIT_MS = 30_000;
    static final String LAST_FENCE = "last_fence";

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public List<Row> run(Env env) {
        Row.Spec spec = new Row.Spec("lock", "handover " + AGENTS + " agents", "grants/s", "", Target.NONE);
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            return List.of(Repeat.rows(env, spec, r -> {
                String run = "lock-" + r + "-" + System.nanoTime();
                LockTurns turns = new LockTurns(LOCK, WAIT_MS);
                try (WsLoops agents = WsLoops.open(env, connector, server, AGENTS, i -> "/register/" + run,
                        new LockExchange(turns, AGENTS))) {
                    LoopResult result = agents.run(Window.startingNow(env.profile().warmupBefore(r), env.profile().measure()));
                    server.process().requireAlive();
                    // latency columns: one exchange, lock sent to unlock answered, waiting for the other agent included
                    return Measures.latency(new Measure().put(Measure.Keys.FIGURE, result.perSecond()), result)
                            .put(LAST_FENCE, turns.lastFence())
                            .add(Measure.Keys.ERRORS, result.errors());
                }
            }));
        }
    }
}
