package io.testsync.server.http;

import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.testsync.server.store.DataStore;
import io.testsync.server.store.StoredData;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.testsync.server.store.StoreFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** {@code POST/GET/PUT/DELETE /tests/{testID}}: a run's data over HTTP (SPEC §2). */
public final class TestsApi {
    static final String ALLOW = "GET, POST, PUT, DELETE";
    private static final Logger log = LoggerFactory.getLogger(TestsApi.class);
    private static final String OCTET_STREAM = "application/octet-stream";

    private final DataStore store;
    private final int maxDataBytes;

    public TestsApi(DataStore store, int maxDataBytes) {
        this.store = store;
        this.maxDataBytes = maxDataBytes;
    }

    /** Handles an authorized request whose ID is valid. */
    public void handle(HttpServerRequest req, String testId) {
        switch (req.method().name()) {
            case "GET" -> answer(req, store.get(testId), (res, data) -> {
                if (data.isEmpty()) {
                    Replies.error(req, 404, "test " + testId + " has no data");
                } else {
                    res.putHeader(HttpHeaders.CONTENT_TYPE, data.get().contentType()).end(Buffer.buffer(data.get().bytes()));
                }
            });
            case "DELETE" -> answer(req, store.delete(testId), (res, existed) -> {
                if (existed) res.setStatusCode(204).end();
                else Replies.error(req, 404, "test " + testId + " has no data");
            });
            case "POST" -> readBody(req, data -> answer(req, store.create(testId, data), (res, created) -> {
                if (created) echo(res, data);
                else Replies.error(req, 409, "test " + testId + " already has data; use PUT to replace it or DELETE it first");
            }));
            case "PUT" -> readBody(req, data -> answer(req, store.put(testId, data), (res, done) -> echo(res, data)));
            default -> Replies.methodNotAllowed(req, ALLOW);
        }
    }

    private static void echo(HttpServerResponse res, StoredData data) {
        res.putHeader(HttpHeaders.CONTENT_TYPE, data.contentType()).end(Buffer.buffer(data.bytes()));
    }

    /** Collects the body up to the data limit; past it, answers 413 and stores nothing. */
    private void readBody(HttpServerRequest req, java.util.function.Consumer<StoredData> then) {
        String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > maxDataBytes) {
            tooLarge(req);
            return;
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        String contentType = type == null || type.isBlank() ? OCTET_STREAM : type;
        Buffer body = Buffer.buffer(declared == null ? 256 : (int) Math.max(0, parseLength(declared)));
        boolean[] rejected = {false};
        req.handler(chunk -> {
            if (rejected[0]) return;
            if (body.length() + chunk.length() > maxDataBytes) {
                rejected[0] = true;
                tooLarge(req);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!rejected[0]) then.accept(new StoredData(body.getBytes(), contentType));
        });
    }

    private void tooLarge(HttpServerRequest req) {
        // the rest of the body is not read: the connection cannot be reused
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        Replies.error(req, 413, "body is larger than the data limit of " + maxDataBytes + " bytes (limits.max_data_bytes)");
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Answers from a store result on the request's own event loop; 500 when storage failed. */
    private <T> void answer(HttpServerRequest req, CompletableFuture<T> result, BiConsumer<HttpServerResponse, T> onValue) {
        if (result.isDone()) { // the memory store: answer at once, no timer, no hop
            Throwable failure = failureOf(result); // before getNow, which throws for a failed future
            finish(req, failure == null ? result.getNow(null) : null, failure, onValue);
            return;
        }
        Context ctx = Vertx.currentContext();
        result.whenComplete((value, failure) -> ctx.runOnContext(v -> finish(req, value, failure, onValue)));
    }

    private <T> void finish(HttpServerRequest req, T value, Throwable failure, BiConsumer<HttpServerResponse, T> onValue) {
        HttpServerResponse res = req.response();
        if (res.ended() || res.closed()) return;
        StoreFaults.Kind kind = io.vertx.core.http.HttpMethod.GET.equals(req.method()) ? StoreFaults.Kind.READ : StoreFaults.Kind.WRITE;
        if (failure != null) {
            StoreFaults.report(log, kind, req.method() + " " + req.path(), failure);
            Replies.error(req, 500, "storage failed; the request was not applied");
        } else {
            StoreFaults.recovered(log, kind);
            onValue.accept(res, value);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) return null;
        try {
            done.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
