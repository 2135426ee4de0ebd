package io.testsync.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code chains} request chains over a keep-alive pool of as many connections: each chain sends a
 * request, waits for the whole answer, checks it, sends the next. Each request's latency is
 * recorded on its own; the rate counts requests.
 */
public final class HttpClosedLoop implements AutoCloseable {
    private final HttpClientAgent client;
    private final Lanes lanes;

    public HttpClosedLoop(Vertx vertx, Lanes lanes, int connections) {
        this.lanes = lanes;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
                        .setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    public LoopResult run(Endpoint to, int chains, HttpExchange exchange, Window window) {
        List<LaneState> states = new ArrayList<>();
        for (int l = 0; l < lanes.size(); l++) states.add(new LaneState());
        for (int i = 0; i < chains; i++) states.get(lanes.laneOf(i)).running++;
        for (LaneState s : states) if (s.running == 0) s.finished.complete(null);
        for (int i = 0; i < chains; i++) {
            Chain chain = new Chain(i, states.get(lanes.laneOf(i)), to, exchange, window);
            lanes.get(lanes.laneOf(i)).runOnContext(v -> chain.next());
        }
        long waitMs = TimeUnit.NANOSECONDS.toMillis(window.endNanos() - System.nanoTime()) + 15_000;
        Await.on(CompletableFuture.allOf(states.stream().map(s -> s.finished).toArray(CompletableFuture[]::new)),
                waitMs, TimeUnit.MILLISECONDS, "waiting for the last answers from " + to.name());
        List<LoopResult> parts = new ArrayList<>();
        for (LaneState s : states) parts.add(new LoopResult(s.answered, 0, s.latency, s.errors));
        return LoopResult.merge(parts, window.measuredSeconds());
    }

    @Override
    public void close() {
        client.close();
    }

    /** Touched only by its lane's thread. */
    private static final class LaneState {
        final Histogram latency = new Histogram();
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        int running;
        long answered;
        long errors;
    }

    private final class Chain {
        final int index;
        final LaneState lane;
        final Endpoint to;
        final HttpExchange exchange;
        final Window window;
        long seq = 1;
        int step = -1;

        Chain(int index, LaneState lane, Endpoint to, HttpExchange exchange, Window window) {
            this.index = index;
            this.lane = lane;
            this.to = to;
            this.exchange = exchange;
            this.window = window;
        }

        void next() {
            if (++step == exchange.steps()) {
                step = 0;
                seq++;
            }
            long sentAt = System.nanoTime();
            int thisStep = step;
            long thisSeq = seq;
            RequestOptions options = new RequestOptions()
                    .setMethod(exchange.method(thisStep)).setHost(to.host()).setPort(to.port())
                    .setURI(exchange.uri(index, thisSeq, thisStep))
                    .putHeader("Authorization", to.authorization());
            Buffer body = exchange.body(index, thisSeq, thisStep);
            if (body != null) options.putHeader("Content-Type", "text/plain");
            client.request(options)
                    .compose(req -> body == null ? req.send() : req.send(body))
                    .compose(res -> res.body().map(b -> new Answer(res, b)))
                    .onComplete(ar -> {
                        long now = System.nanoTime();
                        boolean right = ar.succeeded()
                                && exchange.check(ar.result().status(), ar.result().body(), index, thisSeq, thisStep);
                        if (!right) {
                            lane.errors++;
                        } else if (window.counts(sentAt, now)) {
                            lane.answered++;
                            lane.latency.record(now - sentAt);
                        }
                        if (window.over(now)) {
                            if (--lane.running == 0) lane.finished.complete(null);
                        } else {
                            next();
                        }
                    });
        }
    }

    private record Answer(int status, Buffer body) {
        Answer(HttpClientResponse res, Buffer body) {
            this(res.statusCode(), body);
        }
    }
}
