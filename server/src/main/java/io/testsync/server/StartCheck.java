package io.testsync.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code --exit-after-start}: the server just started answers one {@code GET /health}, then stops.
 * The build runs the jar this way under {@code -XX:ArchiveClassesAtExit}, so the class archive it
 * writes next to the jar holds every class a start and its first request load (issue 8: startup).
 */
final class StartCheck {
    private static final int TIMEOUT_MS = 10_000;

    private StartCheck() {
    }

    /** @return the status line of the answer, e.g. {@code HTTP/1.1 200 OK} */
    static String health(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r' && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            in.readAllBytes(); // the whole answer: its classes belong to a first request too
            return line.toString();
        }
    }
}
