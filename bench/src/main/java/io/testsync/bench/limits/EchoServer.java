package io.testsync.bench.limits;

import io.vertx.core.buffer.Buffer;

/**
 * The WebSocket limit: echoes every text or binary message back as it came, and answers any plain
 * HTTP request 200 so the bench can tell when it is up. Anything the TestSync server does per frame
 * beyond this is what the rtt and data ratios measure.
 */
public final class EchoServer {
    private static final Buffer UP = Buffer.buffer("{\"status\":\"ok\"}");

    private EchoServer() {
    }

    public static void main(String[] args) {
        LimitVerticles.serve(args, server -> server
                .webSocketHandler(ws -> {
                    ws.textMessageHandler(ws::writeTextMessage);
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                })
                .requestHandler(req -> req.response().end(UP)));
    }
}
