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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * 16 agents, each in its own run, each writing 1 KiB with {@code update_data} and reading it back
 * with {@code read_data}; every byte read is compared with what was written. Held against the echo
 * server at the same concurrency.
 */
public final class DataScenario implements Scenario {
    static final int DATA_BYTES = 1024;

    @Override
    public String name() {
        return "data";
    }

    /**
     * Two rows: against the echo of 64-byte frames (the rtt limit, as the target was first set), and
     * against an echo of the same frames (the update_data and read_data frames of each exchange,
     * echoed back both): what the server costs over moving exactly these bytes.
     */
    @Override
    public List<Row> run(Env env) {
        int c = env.profile().dataConnections();
        Row.Spec small = new Row.Spec("data", "1KiB c=" + c, "round trips/s", "echo " + c + "c 64B",
                Target.atLeast(Measure.Keys.RATIO, 0.8, ">= 0.8 x echo"));
        Row.Spec same = new Row.Spec("data", "1KiB c=" + c + " same frames", "round trips/s", "echo of the same frames",
                Target.atLeast(Measure.Keys.RATIO, 0.8, ">= 0.8 x echo"));
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             Launched echo = env.launcher().limit(EchoServer.class, "echo");
             WsConnector connector = new WsConnector(env.vertx(), env.lanes())) {
            return List.of(row(env, connector, server, echo, small, () -> new EchoExchange(64)),
                    row(env, connector, server, echo, same, () -> new SameFramesEcho(c)));
        }
    }

    private static Row row(Env env, WsConnector connector, Launched server, Launched echo, Row.Spec spec,
                           java.util.function.Supplier<Exchange> echoExchange) {
        int c = env.profile().dataConnections();
        return Repeat.rows(env, spec, r -> {
            String run = "data-" + r + "-" + System.nanoTime() + "-";
            try (WsLoops agents = WsLoops.open(env, connector, server, c, i -> "/register/" + run + i, new DataExchange(c));
                 WsLoops echoes = WsLoops.open(env, connector, echo, c, i -> "/echo", echoExchange.get())) {
                Interleave.Pair p = Interleave.run(env.profile(), r, agents::run, echoes::run);
                server.process().requireAlive();
                return Measures.latency(new Measure().versus(p.figure().perSecond(), p.limit().perSecond()), p.figure())
                        .add("verified_bytes", p.figure().answered() * (double) DATA_BYTES)
                        .add(Measure.Keys.ERRORS, p.figure().errors() + p.limit().errors());
            }
        });
    }

    /**
     * The frames of a {@link DataExchange}, sent to the echo server: the exchange is over when both
     * came back identical, in order.
     */
    static final class SameFramesEcho implements Exchange {
        private final String[] update;
        private final boolean[] updateBack;

        SameFramesEcho(int connections) {
            this.update = new String[connections];
            this.updateBack = new boolean[connections];
        }

        @Override
        public void send(WebSocket ws, int conn, long seq) {
            update[conn] = DataExchange.updateFrame(DataExchange.content(conn, seq));
            updateBack[conn] = false;
            ws.writeTextMessage(update[conn]);
            ws.writeTextMessage(DataExchange.READ_FRAME);
        }

        @Override
        public Outcome onText(String text, int conn, long seq) {
            if (!updateBack[conn]) {
                updateBack[conn] = true;
                return text.equals(update[conn]) ? Outcome.WAIT : Outcome.WRONG;
            }
            return text.equals(DataExchange.READ_FRAME) ? Outcome.DONE : Outcome.WRONG;
        }

        @Override
        public Outcome onBinary(Buffer data, int conn, long seq) {
            return Outcome.WRONG;
        }
    }

    /**
     * {@code update_data} with a JSON string of exactly 1 KiB (quotes included, stored as is), then
     * {@code read_data}, whose binary answer must be those bytes. Each connection remembers what it
     * last wrote; only its own lane touches that slot.
     */
    static final class DataExchange implements Exchange {
        private final byte[][] written;

        DataExchange(int connections) {
            this.written = new byte[connections][];
        }

        static String content(int conn, long seq) {
            String head = "\"" + conn + "-" + seq + "-";
            char[] pad = new char[DATA_BYTES - head.length() - 1];
            Arrays.fill(pad, (char) ('a' + (int) (seq % 26)));
            return head + new String(pad) + "\"";
        }

        static final String READ_FRAME = "{\"command\":\"read_data\"}";

        static String updateFrame(String content) {
            return "{\"command\":\"update_data\",\"content\":" + content + "}";
        }

        @Override
        public void send(WebSocket ws, int conn, long seq) {
            String content = content(conn, seq);
            written[conn] = content.getBytes(StandardCharsets.US_ASCII);
            ws.writeTextMessage(updateFrame(content));
            ws.writeTextMessage(READ_FRAME);
        }

        @Override
        public Outcome onText(String text, int conn, long seq) {
            return Outcome.WRONG; // an error frame: update or read failed
        }

        @Override
        public Outcome onBinary(Buffer data, int conn, long seq) {
            return Arrays.equals(data.getBytes(), written[conn]) ? Outcome.DONE : Outcome.WRONG;
        }
    }
}
