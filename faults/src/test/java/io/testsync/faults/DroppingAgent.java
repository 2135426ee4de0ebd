package io.testsync.faults;

import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WireFrame;

import java.io.IOException;

/**
 * An agent on a bare socket whose only way out is a crash: {@link #drop()} resets the TCP
 * connection (SO_LINGER 0, an RST) without a WebSocket close frame, as a killed process or a
 * pulled cable leaves it.
 */
final class DroppingAgent implements AutoCloseable {
    private final RawWebSocket raw;

    private DroppingAgent(RawWebSocket raw) {
        this.raw = raw;
    }

    /** Upgrades /register/{run}?agent={name} (seed protocol). */
    static DroppingAgent connect(ServerJar server, String run, String name) throws IOException {
        return new DroppingAgent(RawWebSocket.upgraded(server.port(), "/register/" + run + "?agent=" + name, "Authorization: " + FaultServer.CREDENTIALS.authorization()));
    }

    DroppingAgent send(String text) throws IOException {
        raw.send(WireFrame.text(text).bytes());
        return this;
    }

    /** The next text frame; pings are skipped (the test is over long before an unanswered ping matters). */
    String nextText() throws IOException {
        while (true) {
            RawWebSocket.Frame f = raw.readFrame();
            if (f.opcode() == WireFrame.TEXT) return f.text();
            if (f.opcode() == WireFrame.CLOSE) throw new AssertionError("the server closed the connection with " + f.closeCode());
        }
    }

    /** Resets the connection: no close frame, no FIN handshake. */
    void drop() throws IOException {
        raw.socket().setSoLinger(true, 0);
        raw.close();
    }

    @Override
    public void close() throws IOException {
        if (!raw.socket().isClosed()) drop();
    }
}
