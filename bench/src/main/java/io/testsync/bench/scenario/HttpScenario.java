package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.FixedHttpServer;
import io.testsync.bench.limits.FsyncProbe;
import io.testsync.bench.limits.SqliteLoop;
import io.testsync.bench.load.HttpClosedLoop;
import io.testsync.bench.load.HttpExchange;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POST then GET of a fresh test ID, 64 bytes each way, over 16 keep-alive connections.
 * {@code http}: memory storage, held against the minimal HTTP server answering the same requests.
 * {@code durable}: SQLite storage, where every acknowledged POST is on disk, held against the
 * memory server in the same run (what durability costs) and against one SQLite transaction per
 * write (what group commit buys).
 */
public final class HttpScenario implements Scenario {
    static final int BODY_BYTES = 64;
    private final boolean durable;

    private HttpScenario(boolean durable) {
        this.durable = durable;
    }

    public static HttpScenario memory() {
        return new HttpScenario(false);
    }

    public static HttpScenario durable() {
        return new HttpScenario(true);
    }

    @Override
    public String name() {
        return durable ? "durable" : "http";
    }

    @Override
    public List<Row> run(Env env) {
        return durable ? durableRows(env) : List.of(memoryRow(env));
    }

    private Row memoryRow(Env env) {
        int c = env.profile().httpConnections();
        Row.Spec spec = new Row.Spec("http", "memory c=" + c, "requests/s", "minimal HTTP",
                Target.atLeast(Measure.Keys.RATIO, 0.75, ">= 0.75 x minimal"));
        try (Launched server = env.launcher().server(Launcher.Storage.MEMORY);
             Launched limitServer = env.launcher().limit(FixedHttpServer.class, "minimal HTTP");
             HttpClosedLoop loop = new HttpClosedLoop(env.vertx(), env.lanes(), c)) {
            Interleave.Side figure = postThenGet(loop, server, c, "http");
            return Repeat.rows(env, spec, r -> {
                Interleave.Pair p = Interleave.run(env.profile(), r, figure,
                        w -> loop.run(limitServer.endpoint(), c, new PostThenGet("limit", false), w));
                server.process().requireAlive();
                return measured(new Measure().versus(p.figure().perSecond(), p.limit().perSecond()), p);
            });
        }
    }

    /**
     * Two rows from one pair of servers: the SQLite server against the memory server answering the
     * same requests (what durability costs), and against one SQLite transaction per write (what
     * group commit buys).
     */
    private List<Row> durableRows(Env env) {
        int c = env.profile().httpConnections();
        Row.Spec versusMemory = new Row.Spec("durable", "sqlite c=" + c, "requests/s", "memory backend",
                Target.atLeast(Measure.Keys.RATIO, 0.8, ">= 0.8 x memory"));
        Row.Spec versusLoop = new Row.Spec("durable", "sqlite writes c=" + c, "writes/s", "1 txn per write",
                Target.atLeast(Measure.Keys.RATIO, 8, ">= 8 x 1-txn loop"));
        try (Launched sqlite = env.launcher().server(Launcher.Storage.SQLITE);
             Launched memory = env.launcher().server(Launcher.Storage.MEMORY);
             HttpClosedLoop loop = new HttpClosedLoop(env.vertx(), env.lanes(), c)) {
            Interleave.Side figure = postThenGet(loop, sqlite, c, "durable");
            Interleave.Side memorySide = postThenGet(loop, memory, c, "memory");
            Row first = Repeat.rows(env, versusMemory, r -> {
                // Where the CPU goes, over the same measured slices: each server's per request, and the SQLite threads' per write.
                CpuCount sqliteCpu = CpuCount.process(sqlite.process().pid());
                CpuCount sqliteThreadsCpu = CpuCount.threads(sqlite.process().pid(), "testsync-sqlite");
                CpuCount memoryCpu = CpuCount.process(memory.process().pid());
                ScrapedCounters groupCommit = new ScrapedCounters(sqlite.endpoint(),
                        List.of("testsync_store_sqlite_writes_total", "testsync_store_sqlite_commits_total"));
                Interleave.Pair p = Interleave.run(env.profile(), r,
                        groupCommit.around(sqliteThreadsCpu.around(sqliteCpu.around(figure))), memoryCpu.around(memorySide));
                sqlite.process().requireAlive();
                // The best a closed loop can do with one fsync added to every POST/GET pair of the memory backend.
                FsyncProbe.Result fsync = FsyncProbe.measure(env.launcher().workDir());
                double memoryPairMs = 2 * c * 1000 / p.limit().perSecond();
                long requests = p.figure().answered();
                return measured(new Measure().versus(p.figure().perSecond(), p.limit().perSecond())
                        .put("fsync_p50_ms", fsync.medianMillis())
                        .put("fsync_cpu_us", fsync.cpuMicros())
                        .put("one_fsync_bound", memoryPairMs / (memoryPairMs + fsync.medianMillis()))
                        .put("server_cpu_us_per_req", sqliteCpu.microsPer(requests))
                        .put("memory_server_cpu_us_per_req", memoryCpu.microsPer(p.limit().answered()))
                        // requests alternate POST, GET: half of them are writes
                        .put("sqlite_threads_cpu_us_per_write", sqliteThreadsCpu.microsPer(requests / 2))
                        .put("writes_per_commit", groupCommit.grown(0) / groupCommit.grown(1)), p);
            });
            Row second = Repeat.rows(env, versusLoop, r -> {
                Interleave.Pair p;
                try (SqliteLoop oneTxnPerWrite = new SqliteLoop(env.launcher().workDir().resolve("loop-" + r + ".db"))) {
                    p = Interleave.run(env.profile(), r, figure, oneTxnPerWrite::run);
                }
                sqlite.process().requireAlive();
                // requests alternate POST, GET on every connection: half of them are writes
                return measured(new Measure().versus(p.figure().perSecond() / 2, p.limit().perSecond())
                        .put("requests_per_s", p.figure().perSecond()), p);
            });
            return List.of(first, second);
        }
    }

    /** POST then GET on c connections; every slice posts under its own ID prefix (a test ID with data answers 409). */
    private static Interleave.Side postThenGet(HttpClosedLoop loop, Launched server, int c, String prefix) {
        AtomicInteger slices = new AtomicInteger();
        return w -> loop.run(server.endpoint(), c, new PostThenGet(prefix + "-" + slices.incrementAndGet(), true), w);
    }

    private static Measure measured(Measure m, Interleave.Pair p) {
        return Measures.latency(m, p.figure()).add(Measure.Keys.ERRORS, p.figure().errors() + p.limit().errors());
    }

    /**
     * Step 0 POSTs 64 bytes to a fresh test ID (a fresh one, or the answer would be 409), step 1
     * GETs it. Against the server both answers must be the posted bytes; the minimal server answers
     * its fixed 64 bytes.
     */
    static final class PostThenGet implements HttpExchange {
        private final String prefix;
        private final boolean exact;

        PostThenGet(String prefix, boolean exact) {
            this.prefix = prefix;
            this.exact = exact;
        }

        static byte[] bodyOf(int chain, long seq) {
            byte[] b = new byte[BODY_BYTES];
            java.util.Arrays.fill(b, (byte) 'x');
            byte[] head = ("body-" + chain + "-" + seq + "-").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, b, 0, head.length);
            return b;
        }

        @Override
        public int steps() {
            return 2;
        }

        @Override
        public HttpMethod method(int step) {
            return step == 0 ? HttpMethod.POST : HttpMethod.GET;
        }

        @Override
        public String uri(int chain, long seq, int step) {
            return "/tests/" + prefix + "-" + chain + "-" + seq;
        }

        @Override
        public Buffer body(int chain, long seq, int step) {
            return step == 0 ? Buffer.buffer(bodyOf(chain, seq)) : null;
        }

        @Override
        public boolean check(int status, Buffer body, int chain, long seq, int step) {
            if (status != 200 || body.length() != BODY_BYTES) return false;
            return !exact || java.util.Arrays.equals(body.getBytes(), bodyOf(chain, seq));
        }
    }
}
