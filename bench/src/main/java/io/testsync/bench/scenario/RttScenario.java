package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.EchoServer;
import io.testsync.bench.load.Exchange;
import io.testsync.bench.load.LoopResult;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * C agents of one run in a closed loop of {@code get_connection_count}, against C connections to
 * the echo server exchanging 64-byte frames: the cost of one command round trip.
 */
public final class RttScenario implements Scenario {

    @Override
    public String name() {
        return "rtt";
    }

    @Override
    public List<Row> run(Env env) {
        List<Row> rows = new ArrayList<>();
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             Launched echo = env.launcher().limit(EchoServer.class, "echo");
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            for (int c : env.profile().rttConnections()) {
                Target target = c == 256 ? Target.atLeast(Measure.Keys.RATIO, 0.90, ">= 0.90 x echo") : Target.NONE;
                Row.Spec spec = new Row.Spec("rtt", "c=" + c, "replies/s", "echo " + c + "c 64B", target);
                rows.add(Repeat.rows(env, spec, r -> {
                    String run = "rtt-" + c + "-" + r + "-" + System.nanoTime();
                    try (WsLoops agents = WsLoops.open(env, connector, server, c, i -> "/register/" + run, new CountExchange(c));
                         WsLoops echoes = WsLoops.open(env, connector, echo, c, i -> "/echo", new EchoExchange(64))) {
                        Interleave.Pair p = Interleave.run(env.profile(), r, agents::run, echoes::run);
                        server.process().requireAlive();
                        return Measures.latency(new Measure().versus(p.figure().perSecond(), p.limit().perSecond()), p.figure())
                                .add(Measure.Keys.ERRORS, p.figure().errors() + p.limit().errors());
                    }
                }));
            }
        }
        return rows;
    }

    /** {@code get_connection_count} with the sequence number as id; the answer must echo it and count every agent. */
    static final class CountExchange implements Exchange {
        private static final String PREFIX = "{\"command\":\"get_connection_count\",\"id\":";
        private final String countSuffix;

        CountExchange(int agents) {
            this.countSuffix = ",\"content\":{\"count\":" + agents + "}}";
        }

        @Override
        public void send(WebSocket ws, int conn, long seq) {
            ws.writeTextMessage(PREFIX + seq + "}");
        }

        @Override
        public Outcome onText(String text, int conn, long seq) {
            boolean right = text.startsWith(PREFIX) && text.endsWith(countSuffix)
                    && text.length() == PREFIX.length() + Long.toString(seq).length() + countSuffix.length()
                    && text.startsWith(Long.toString(seq), PREFIX.length());
            return right ? Outcome.DONE : Outcome.WRONG;
        }

        @Override
        public Outcome onBinary(Buffer data, int conn, long seq) {
            return Outcome.WRONG;
        }
    }
}
