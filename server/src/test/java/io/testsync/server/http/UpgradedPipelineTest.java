package io.testsync.server.http;

import io.testsync.testkit.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Vert.x server upgrading real WebSocket connections the way the agent endpoint does: once
 * trimmed, the pipeline holds only the WebSocket's handlers, the HTTP request can be collected
 * while the WebSocket lives, and frames still go both ways.
 */
class UpgradedPipelineTest {
    private Vertx vertx;
    private HttpServer server;
    private final CompletableFuture<WeakReference<HttpServerRequest>> request = new CompletableFuture<>();
    private final CompletableFuture<List<String>> handlers = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::upgrade)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Keeps nothing of the request but a weak reference: whatever else holds it is the server's. */
    private void upgrade(HttpServerRequest req) {
        request.complete(new WeakReference<>(req));
        var connection = req.connection();
        req.toWebSocket().onSuccess(ws -> {
            UpgradedPipeline.trim(connection);
            ws.textMessageHandler(ws::writeTextMessage);
            handlers.complete(((ConnectionBase) connection).channelHandlerContext().pipeline().names());
        });
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUpgradedConnectionKeepsOnlyTheWebSocketsHandlers() throws Exception {
        try (WsClient ws = WsClient.connect(uri(), null)) {
            List<String> names = handlers.get(10, TimeUnit.SECONDS);
            assertThat(names.subList(0, names.size() - 1)).containsExactly("wsdecoder", "wsencoder", "handler");
            assertThat(names.get(names.size() - 1)).startsWith("DefaultChannelPipeline$TailContext");
            assertThat(ws.send("after the trim").nextText()).isEqualTo("after the trim");
        }
    }

    @Test
    void theHttpRequestIsReleasedWhileTheWebSocketLives() throws Exception {
        try (WsClient ws = WsClient.connect(uri(), null)) {
            handlers.get(10, TimeUnit.SECONDS);
            WeakReference<HttpServerRequest> held = request.get(10, TimeUnit.SECONDS);
            // the condition awaited is the collection itself: a request still reachable never clears
            for (int gc = 0; gc < 50 && held.get() != null; gc++) {
                System.gc();
                Thread.onSpinWait();
            }
            assertThat(held.get()).as("the upgrade's HTTP request, after 50 collections").isNull();
            assertThat(ws.send("still open").nextText()).isEqualTo("still open");
        }
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/");
    }
}
