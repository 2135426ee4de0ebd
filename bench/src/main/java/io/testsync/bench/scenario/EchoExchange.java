package io.testsync.bench.scenario;

import io.testsync.bench.load.Exchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/** A text frame of a fixed size, padded, that must come back identical: the echo limit's exchange. */
final class EchoExchange implements Exchange {
    private final int size;
    private final String padding;

    EchoExchange(int size) {
        this.size = size;
        this.padding = "x".repeat(size);
    }

    String message(int conn, long seq) {
        String head = "{\"echo\":\"" + conn + "-" + seq + "\",\"pad\":\"";
        return head + padding.substring(0, size - head.length() - 2) + "\"}";
    }

    @Override
    public void send(WebSocket ws, int conn, long seq) {
        ws.writeTextMessage(message(conn, seq));
    }

    @Override
    public Outcome onText(String text, int conn, long seq) {
        return text.equals(message(conn, seq)) ? Outcome.DONE : Outcome.WRONG;
    }

    @Override
    public Outcome onBinary(Buffer data, int conn, long seq) {
        return Outcome.WRONG;
    }
}
