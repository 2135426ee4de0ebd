package io.testsync.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client on a bare socket, for what a polite client library will not do: read the HTTP
 * refusal of an upgrade, ignore pings, send raw or malformed frames ({@link WireFrame}), stop reading.
 */
public final class RawWebSocket implements AutoCloseable {
    /** The read timeout unless told otherwise: a test waiting longer than this has failed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The key of every upgrade request: the server's answer is not checked, so a fixed one will do. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** A frame from the server, as it came (unmasked, no reassembly). */
    public record Frame(int opcode, byte[] payload) {
        /** The status code of a close frame, 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        /** The payload as UTF-8. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) timeout.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TCP connection to 127.0.0.1:{@code port}, nothing sent yet. */
    public static RawWebSocket open(int port) throws IOException {
        return open(port, DEFAULT_TIMEOUT);
    }

    /** A TCP connection whose reads give up after {@code timeout}. */
    public static RawWebSocket open(int port, Duration timeout) throws IOException {
        return new RawWebSocket(new Socket("127.0.0.1", port), timeout);
    }

    /** Opens and upgrades {@code pathAndQuery}; fails unless the answer is 101. */
    public static RawWebSocket upgraded(int port, String pathAndQuery, String... headerLines) throws IOException {
        RawWebSocket raw = open(port);
        RawHttp.Response r = raw.upgrade(pathAndQuery, headerLines);
        if (r.status() != 101) {
            raw.close();
            throw new AssertionError("upgrade of " + pathAndQuery + " answered " + r.status() + " " + r.body());
        }
        return raw;
    }

    /** Sends the upgrade request with extra header lines ("Name: value") and returns the answer (with its body when refused). */
    public RawHttp.Response upgrade(String pathAndQuery, String... headerLines) throws IOException {
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n");
        for (String h : headerLines) req.append(h).append("\r\n");
        req.append("\r\n");
        send(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        return RawHttp.readResponse(in);
    }

    /** Writes the bytes as they are and flushes: frames, parts of frames, garbage. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(WireFrame frame) throws IOException {
        send(frame.bytes());
    }

    /** One masked final text frame. */
    public void sendText(String text) throws IOException {
        send(WireFrame.text(text));
    }

    /** The next frame from the server; pings are returned like any frame (and not answered). */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[Math.toIntExact(len)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads until a text frame arrives and returns it; every other frame before it is skipped. */
    public String nextText() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == WireFrame.TEXT) return f.text();
        }
    }

    /** Reads until a close frame arrives and returns its code; pings and other frames are skipped. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == WireFrame.CLOSE) return f.closeCode();
        }
    }

    public Socket socket() {
        return socket;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** This connection's port on the client side: the key to it in /proc/net/tcp. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
