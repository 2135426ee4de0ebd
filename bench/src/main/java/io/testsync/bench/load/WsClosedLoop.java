package io.testsync.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every connection sends one exchange, waits for its answer, sends the next: a closed loop, so the
 * rate is what the far side sustains at this concurrency, not what the generator pushes. All work
 * of a connection happens on its lane; the lane's counters are merged when every loop has stopped.
 */
public final class WsClosedLoop {
    private WsClosedLoop() {
    }

    public static LoopResult run(Lanes lanes, List<WebSocket> sockets, Exchange exchange, Window window) {
        List<LaneState> states = new ArrayList<>();
        for (int l = 0; l < lanes.size(); l++) states.add(new LaneState());
        for (int i = 0; i < sockets.size(); i++) states.get(lanes.laneOf(i)).running++;
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        for (LaneState s : states) {
            finished.add(s.finished);
            if (s.running == 0) s.finished.complete(null); // fewer connections than lanes
        }
        for (int i = 0; i < sockets.size(); i++) {
            int lane = lanes.laneOf(i);
            Conn c = new Conn(i, sockets.get(i), states.get(lane), exchange, window);
            lanes.get(lane).runOnContext(v -> c.start());
        }
        long waitMs = TimeUnit.NANOSECONDS.toMillis(window.endNanos() - System.nanoTime()) + 15_000;
        Await.on(CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new)), waitMs, TimeUnit.MILLISECONDS,
                "waiting for the last answers of " + sockets.size() + " connections");
        List<LoopResult> parts = new ArrayList<>();
        for (LaneState s : states) parts.add(new LoopResult(s.answered, 0, s.latency, s.errors));
        return LoopResult.merge(parts, window.measuredSeconds());
    }

    /** Touched only by its lane's thread (the count of running loops is set before any starts). */
    private static final class LaneState {
        final Histogram latency = new Histogram();
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        int running;
        long answered;
        long errors;

        void stopped() {
            if (--running == 0) finished.complete(null);
        }
    }

    private static final class Conn {
        final int index;
        final WebSocket ws;
        final LaneState lane;
        final Exchange exchange;
        final Window window;
        long seq;
        long sentAt;
        boolean stopped;

        Conn(int index, WebSocket ws, LaneState lane, Exchange exchange, Window window) {
            this.index = index;
            this.ws = ws;
            this.lane = lane;
            this.exchange = exchange;
            this.window = window;
        }

        void start() {
            ws.textMessageHandler(text -> settle(System.nanoTime(), exchange.onText(text, index, seq)));
            ws.binaryMessageHandler(data -> settle(System.nanoTime(), exchange.onBinary(data, index, seq)));
            ws.closeHandler(v -> {
                if (!stopped) {
                    lane.errors++;
                    stop();
                }
            });
            next();
        }

        private void settle(long now, Exchange.Outcome outcome) {
            if (stopped) return;
            switch (outcome) {
                case WAIT -> {
                    return;
                }
                case DONE -> {
                    if (window.counts(sentAt, now)) {
                        lane.answered++;
                        lane.latency.record(now - sentAt);
                    }
                }
                case WRONG -> lane.errors++;
            }
            if (window.over(now)) stop();
            else next();
        }

        private void next() {
            seq++;
            sentAt = System.nanoTime();
            exchange.send(ws, index, seq);
        }

        private void stop() {
            stopped = true;
            lane.stopped();
        }
    }
}
