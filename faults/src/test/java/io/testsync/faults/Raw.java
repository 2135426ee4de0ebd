package io.testsync.faults;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket (and HTTP) client on a bare socket, for what a polite client never does: malformed
 * frames, frames announcing 2^62 bytes, never reading. Also builds frames byte by byte.
 */
final class Raw implements AutoCloseable {
    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    Raw(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and upgrades to /register/{testId}; returns the HTTP status of the answer (101 when upgraded). */
    static Raw upgraded(int port, String testId) throws IOException {
        Raw raw = new Raw(port);
        int status = raw.upgrade(testId);
        if (status != 101) {
            raw.close();
            throw new AssertionError("upgrade of " + testId + " answered " + status);
        }
        return raw;
    }

    int upgrade(String testId) throws IOException {
        send(("GET /register/" + testId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: " + ServerJar.AUTHORIZATION
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead();
        return Integer.parseInt(head.split(" ")[1]);
    }

    /** The response head (status line and headers); the body, if any, is left unread. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed in the response head: " + head);
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame; pings are returned like any frame and not answered. */
    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads until a close frame and returns its code. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == CLOSE) return f.closeCode();
        }
    }

    /** Everything until the server closes the connection (for HTTP answers followed by a close). */
    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // --- frames exactly as told, forbidden ones included ---------------------------------------

    static byte[] frame(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload.length, payload, true);
    }

    /** A masked frame with the fin bit as given: a fragment of a message when false. */
    static byte[] fragment(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, true, payload.length, payload, true);
    }

    static byte[] text(String text) {
        return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param rsv            the three reserved bits (RSV1 = 4)
     * @param declaredLength the length announced, whatever the payload
     * @param minimal        false: a length under 126 is announced in the 16-bit form
     */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, long declaredLength, byte[] payload, boolean minimal) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0x0f);
        int mask = masked ? 0x80 : 0;
        if (declaredLength >= 0 && declaredLength < 126 && minimal) {
            f.write(mask | (int) declaredLength);
        } else if (declaredLength >= 0 && declaredLength < 65536) {
            f.write(mask | 126);
            f.write((int) (declaredLength >>> 8));
            f.write((int) declaredLength);
        } else {
            f.write(mask | 127);
            for (int i = 7; i >= 0; i--) f.write((int) (declaredLength >>> (8 * i)));
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) f.write(key, 0, 4);
        for (int i = 0; i < payload.length; i++) f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return f.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }
}
