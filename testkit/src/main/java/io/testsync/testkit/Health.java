package io.testsync.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code GET /health} over a plain socket until it answers 200. A raw HTTP/1.1 request has no
 * client library to warm up, so the time it reports is the server's, not the probe's.
 */
public final class Health {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Health() {
    }

    /** Returns the System.nanoTime() at which /health first answered 200; fails when the child exits or the time is up. */
    public static long awaitUp(ChildProcess child, String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long before = System.nanoTime();
            if (answers200(host, port)) return System.nanoTime();
            child.requireAlive();
            long rest = POLL_NANOS - (System.nanoTime() - before);
            if (rest > 0) sleepNanos(rest);
        }
        throw new IllegalStateException(child.name() + " did not answer GET /health with 200 within " + timeout + ": " + child.errorTail());
    }

    /** One probe: true when {@code GET /health} answers 200 now. */
    public static boolean answers200(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12]; // "HTTP/1.1 200"
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) return false;
                n += r;
            }
            return new String(head, StandardCharsets.US_ASCII).endsWith(" 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for /health", e);
        }
    }
}
