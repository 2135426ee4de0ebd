package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.load.Await;
import io.testsync.bench.load.WsConnector;
import io.testsync.bench.proc.Launched;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes N runs that the server holds in memory without any agent connected: for each run one agent
 * connects, adds 1 to a counter (toolkit state keeps a run held after its agents left), awaits the
 * reply and closes. A batch of agents at a time, so handshakes stay bounded.
 */
final class HeldRuns {
    static final String COUNTER = "n";
    private static final int BATCH = 64;

    private HeldRuns() {
    }

    /** Creates runs {@code prefix + 0 … prefix + (n-1)}; throws naming the first run whose counter reply was wrong. */
    static void create(Env env, WsConnector connector, Launched server, String prefix, int n) {
        CounterExchange counter = new CounterExchange(COUNTER, 1);
        for (int base = 0; base < n; base += BATCH) {
            int size = Math.min(BATCH, n - base);
            int first = base;
            List<CompletableFuture<String>> replies = new ArrayList<>(size);
            for (int i = 0; i < size; i++) replies.add(new CompletableFuture<>());
            List<WebSocket> sockets = connector.connect(server.endpoint(), size, i -> "/register/" + prefix + (first + i),
                    BATCH, (i, ws) -> ws.textMessageHandler(replies.get(i)::complete), 60);
            try {
                for (int i = 0; i < size; i++) {
                    WebSocket ws = sockets.get(i);
                    env.lanes().get(env.lanes().laneOf(i)).runOnContext(v -> ws.writeTextMessage(counter.frame(1)));
                }
                for (int i = 0; i < size; i++) {
                    String run = prefix + (first + i);
                    String text = Await.on(replies.get(i), 30, TimeUnit.SECONDS, "the counter reply in run " + run);
                    if (counter.value(text, 1) != 1) {
                        throw new IllegalStateException("run " + run + " answered the first counter add with " + text);
                    }
                }
            } finally {
                WsConnector.closeAll(sockets);
            }
        }
    }
}
