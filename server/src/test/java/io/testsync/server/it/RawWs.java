package io.testsync.server.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket, for what a polite client library will not do: read the
 * HTTP refusal of an upgrade, ignore pings, send raw or malformed frames, stop reading.
 */
final class RawWs implements AutoCloseable {
    /** An HTTP response to the upgrade request. */
    record Response(int status, Map<String, String> headers, String body) {}

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

    private RawWs(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(15_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Sends the upgrade request for {@code pathAndQuery} with optional extra header lines and returns the response head (and body when refused). */
    static RawWs open(int port) throws IOException {
        return new RawWs(new Socket("127.0.0.1", port));
    }

    Response upgrade(String pathAndQuery, String... headerLines) throws IOException {
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        for (String h : headerLines) req.append(h).append("\r\n");
        req.append("\r\n");
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readResponse(in);
    }

    static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] b = new byte[Integer.parseInt(headers.get("content-length"))];
            new DataInputStream(in).readFully(b);
            body = new String(b, StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("connection closed while reading the response head");
            if (c != '\r') line.write(c);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one masked frame (fin set unless told otherwise). */
    void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) len >>> (8 * i)));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < len; i++) f.write(payload[i] ^ mask[i & 3]);
        out.write(f.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The next frame from the server; pings are returned like any frame (and not answered). */
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

    /** Reads until a close frame arrives and returns its code; pings and other frames are skipped. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 0x8) return f.closeCode();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
