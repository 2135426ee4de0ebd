package io.testsync.bench.scenario;

import io.testsync.bench.load.Await;
import io.testsync.bench.load.Endpoint;
import io.testsync.bench.load.Histogram;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/runs}, one request after the other on one keep-alive connection. Latency is
 * from the request sent to its whole body received; the body is then parsed off the event loop and
 * must list exactly the expected number of runs, or the listing does not count.
 */
final class RunListing implements AutoCloseable {
    /** The bound of SPEC's request timeout: a listing slower than this has failed whatever it returns. */
    static final long BOUND_SECONDS = 10;

    private final HttpClient client;
    private final Endpoint server;
    private final Context lane;

    /** Requests are made from {@code lane}, so the listing's bytes are read there and not on the probe's lane. */
    RunListing(Vertx vertx, Context lane, Endpoint server) {
        this.server = server;
        this.lane = lane;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost(server.host()).setDefaultPort(server.port()));
    }

    /** Lists {@code requests} times, recording each latency; throws when an answer is not exactly {@code runs} runs. */
    Histogram measure(int requests, int runs) {
        Histogram latency = new Histogram();
        for (int k = 0; k < requests; k++) {
            long[] sent = new long[1]; // taken on the lane, just before the request is made
            CompletableFuture<long[]> done = new CompletableFuture<>();
            CompletableFuture<Buffer> body = new CompletableFuture<>();
            lane.runOnContext(v -> {
                sent[0] = System.nanoTime();
                client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/v1/runs")
                                .addHeader("Authorization", server.authorization()))
                        .compose(req -> req.send())
                        .compose(resp -> resp.body().map(b -> {
                            done.complete(new long[]{System.nanoTime(), resp.statusCode()});
                            return b;
                        }))
                        .onSuccess(body::complete)
                        .onFailure(body::completeExceptionally);
            });
            Buffer b = Await.on(body, BOUND_SECONDS + 5, TimeUnit.SECONDS, "GET /api/v1/runs of " + server.name());
            long[] at = done.join();
            if (at[1] != 200) throw new IllegalStateException("GET /api/v1/runs answered " + at[1] + ": " + head(b));
            int listed = listed(b);
            if (listed != runs) throw new IllegalStateException("GET /api/v1/runs listed " + listed + " runs, expected " + runs);
            latency.record(at[0] - sent[0]);
        }
        return latency;
    }

    private static int listed(Buffer body) {
        try {
            JsonArray list = new JsonObject(body).getJsonArray("runs");
            return list == null ? -1 : list.size();
        } catch (RuntimeException e) {
            throw new IllegalStateException("GET /api/v1/runs answered no {\"runs\":[…]}: " + head(body));
        }
    }

    private static String head(Buffer b) {
        String s = b.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public void close() {
        client.close();
    }
}
