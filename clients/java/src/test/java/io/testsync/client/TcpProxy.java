package io.testsync.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder in front of the server, so a test can cut a client's connection the way
 * a network does: {@link #cut()} resets every forwarded socket at once, without a WebSocket close;
 * {@link #freeze()} stops forwarding while keeping the sockets open (a peer gone silent: no reset,
 * no close, nothing).
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean frozen; // guarded by this

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort());
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitThawed();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other pump ends too
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void awaitThawed() {
        while (frozen) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** From now on nothing is forwarded in either direction; the sockets stay open. */
    synchronized void freeze() {
        frozen = true;
    }

    /** Resets every forwarded connection (RST, no close frame), as a dropped network link or a killed peer would. */
    void cut() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            frozen = false;
            notifyAll();
        }
        listener.close();
        cut();
    }
}
