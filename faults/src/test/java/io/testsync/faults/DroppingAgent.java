package io.testsync.faults;

import java.io.IOException;

/**
 * An agent on a bare socket whose only way out is a crash: {@link #drop()} resets the TCP
 * connection (SO_LINGER 0, an RST) without a WebSocket close frame, as a killed process or a
 * pulled cable leaves it.
 */
final class DroppingAgent implements AutoCloseable {
    private final Raw raw;

    private DroppingAgent(Raw raw) {
        this.raw = raw;
    }

    /** Upgrades /register/{run}?agent={name} (seed protocol). */
    static DroppingAgent connect(ServerJar server, String run, String name) throws IOException {
        return new DroppingAgent(Raw.upgraded(server.port, run + "?agent=" + name));
    }

    DroppingAgent send(String text) throws IOException {
        raw.send(Raw.text(text));
        return this;
    }

    /** The next text frame; pings are skipped (the test is over long before an unanswered ping matters). */
    String nextText() throws IOException {
        while (true) {
            Raw.Frame f = raw.readFrame();
            if (f.opcode() == Raw.TEXT) return f.text();
            if (f.opcode() == Raw.CLOSE) throw new AssertionError("the server closed the connection with " + f.closeCode());
        }
    }

    /** Resets the connection: no close frame, no FIN handshake. */
    void drop() throws IOException {
        raw.socket.setSoLinger(true, 0);
        raw.close();
    }

    @Override
    public void close() throws IOException {
        if (!raw.socket.isClosed()) drop();
    }
}
