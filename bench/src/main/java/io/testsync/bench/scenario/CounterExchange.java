package io.testsync.bench.scenario;

import io.testsync.bench.load.Exchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * {@code counter} adding 1, with the sequence number as id: the answer must echo the id, name the
 * counter and carry a value of at least 1. Every command sent is counted per connection, so the
 * counter's final value can be checked against the total: an atomic counter loses no addition.
 */
final class CounterExchange implements Exchange {
    private final String name;
    private final String replyHead;
    /** Counters sent, per connection; each slot is touched only by its connection's lane. */
    private final long[] sent;

    CounterExchange(String name, int connections) {
        this.name = name;
        this.replyHead = ",\"content\":{\"name\":\"" + name + "\",\"value\":";
        this.sent = new long[connections];
    }

    /** The command of exchange {@code seq}: add 1 to the counter. */
    String frame(long seq) {
        return "{\"command\":\"counter\",\"id\":" + seq + ",\"content\":{\"name\":\"" + name + "\",\"add\":1}}";
    }

    /** The command that reads the counter without changing it. */
    String readFrame(long id) {
        return "{\"command\":\"counter\",\"id\":" + id + ",\"content\":{\"name\":\"" + name + "\",\"add\":0}}";
    }

    @Override
    public void send(WebSocket ws, int conn, long seq) {
        sent[conn]++;
        ws.writeTextMessage(frame(seq));
    }

    @Override
    public Outcome onText(String text, int conn, long seq) {
        long value = value(text, seq);
        return value >= 1 ? Outcome.DONE : Outcome.WRONG;
    }

    @Override
    public Outcome onBinary(Buffer data, int conn, long seq) {
        return Outcome.WRONG;
    }

    /**
     * The value of a reply to the counter command with id {@code id}, or -1 when {@code text} is not
     * exactly {@code {"command":"counter","id":<id>,"content":{"name":<name>,"value":<digits>}}}.
     */
    long value(String text, long id) {
        String head = "{\"command\":\"counter\",\"id\":" + id + replyHead;
        if (!text.startsWith(head) || !text.endsWith("}}")) return -1;
        int from = head.length();
        int to = text.length() - 2;
        if (to <= from || to - from > 16) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Every counter command sent so far, over all connections; read once their loops have stopped. */
    long totalSent() {
        long total = 0;
        for (long n : sent) total += n;
        return total;
    }
}
