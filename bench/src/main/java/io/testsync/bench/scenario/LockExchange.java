package io.testsync.bench.scenario;

import io.testsync.bench.load.Exchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * One exchange of the lock scenario: {@code lock}, and once granted {@code unlock} at once, done
 * when the unlock is answered. An agent never ends an exchange holding the lock, so the other one
 * can always finish its own when the window closes.
 */
final class LockExchange implements Exchange {
    private final LockTurns turns;
    /** Per connection, touched only by its lane: its socket and whether its grant has come. */
    private final WebSocket[] sockets;
    private final boolean[] holding;

    LockExchange(LockTurns turns, int connections) {
        this.turns = turns;
        this.sockets = new WebSocket[connections];
        this.holding = new boolean[connections];
    }

    @Override
    public void send(WebSocket ws, int conn, long seq) {
        sockets[conn] = ws;
        holding[conn] = false;
        ws.writeTextMessage(turns.lockFrame(seq));
    }

    @Override
    public Outcome onText(String text, int conn, long seq) {
        if (!holding[conn]) {
            if (!turns.granted(text, seq)) return Outcome.WRONG;
            holding[conn] = true;
            turns.releasing();
            sockets[conn].writeTextMessage(turns.unlockFrame(seq));
            return Outcome.WAIT;
        }
        return turns.released(text, seq) ? Outcome.DONE : Outcome.WRONG;
    }

    @Override
    public Outcome onBinary(Buffer data, int conn, long seq) {
        return Outcome.WRONG;
    }
}
