package io.testsync.bench.scenario;

import io.vertx.core.http.WebSocket;

/**
 * One barrier agent: its socket and what it saw in the current round. Written only on its lane;
 * read by the main thread after the round's counter says every agent has been heard from.
 */
final class Agent {
    final int index;
    WebSocket ws;
    private String marker;
    private Round round;
    long releasedAt;
    boolean finished;

    Agent(int index) {
        this.index = index;
    }

    void attach(WebSocket socket) {
        this.ws = socket;
        socket.textMessageHandler(this::onText);
    }

    /** Sends this agent's join of {@code identifier}; returns the nanoTime taken just before the write. */
    long join(Round r, String identifier, int target) {
        this.round = r;
        this.marker = "\"identifier\":\"" + identifier + "\"";
        this.finished = false;
        long sentAt = System.nanoTime();
        ws.writeTextMessage("{\"command\":\"wait_checkpoint\",\"id\":" + index + ",\"content\":{\"identifier\":\""
                + identifier + "\",\"target_count\":" + target + ",\"timeout_ms\":30000}}");
        return sentAt;
    }

    private void onText(String text) {
        long now = System.nanoTime(); // first: the release time must not include our parsing
        Round r = round;
        if (r == null || !text.startsWith("{\"command\":\"wait_checkpoint\"") || !text.contains(marker)) {
            if (r != null) r.unexpected(text);
            return;
        }
        round = null;
        releasedAt = now;
        finished = text.contains("\"finished\":true");
        r.heardFrom();
    }
}
