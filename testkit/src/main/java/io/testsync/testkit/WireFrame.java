package io.testsync.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bytes of one client WebSocket frame exactly as told, including what RFC 6455 forbids: any
 * opcode, reserved bits, no mask, a declared length that differs from the payload sent, a length
 * not in its shortest form. Masked with a random key unless told otherwise.
 */
public final class WireFrame {
    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    private int opcode = TEXT;
    private boolean fin = true;
    private int rsv;
    private boolean masked = true;
    private Long declaredLength;
    private boolean minimalLength = true;
    private byte[] payload = new byte[0];

    private WireFrame() {
    }

    /** A final text frame of {@code text} in UTF-8. */
    public static WireFrame text(String text) {
        return new WireFrame().payload(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final frame of any opcode, reserved ones included. */
    public static WireFrame of(int opcode, byte[] payload) {
        return new WireFrame().opcode(opcode).payload(payload);
    }

    public WireFrame opcode(int opcode) {
        this.opcode = opcode;
        return this;
    }

    /** False makes this a fragment that more frames of the message follow. */
    public WireFrame fin(boolean fin) {
        this.fin = fin;
        return this;
    }

    /** Reserved bits RSV1..RSV3 as the three low bits of {@code bits} (RSV1 = 4). */
    public WireFrame rsv(int bits) {
        this.rsv = bits;
        return this;
    }

    /** Sends the payload in clear, as only a server may (RFC 6455 §5.1). */
    public WireFrame unmasked() {
        this.masked = false;
        return this;
    }

    /** Announces this length whatever the payload is; the payload is still sent (often: none). */
    public WireFrame declaredLength(long length) {
        this.declaredLength = length;
        return this;
    }

    /** Encodes the length in 16 bits even when it fits in 7 (RFC 6455 §5.2 asks for the shortest form). */
    public WireFrame nonMinimalLength() {
        this.minimalLength = false;
        return this;
    }

    public WireFrame payload(byte[] payload) {
        this.payload = payload;
        return this;
    }

    /** The frame on the wire: header, masking key, (masked) payload. */
    public byte[] bytes() {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0x0f);
        long len = declaredLength != null ? declaredLength : payload.length;
        int mask = masked ? 0x80 : 0;
        if (len >= 0 && len < 126 && minimalLength) {
            f.write(mask | (int) len);
        } else if (len >= 0 && len < 65536) {
            f.write(mask | 126);
            f.write((int) (len >>> 8));
            f.write((int) len);
        } else {
            f.write(mask | 127);
            for (int i = 7; i >= 0; i--) f.write((int) (len >>> (8 * i)));
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) f.write(key, 0, 4);
        byte[] body = payload.clone();
        if (masked) for (int i = 0; i < body.length; i++) body[i] ^= key[i & 3];
        f.writeBytes(body);
        return f.toByteArray();
    }
}
