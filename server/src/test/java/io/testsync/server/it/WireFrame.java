package io.testsync.server.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bytes of one WebSocket frame exactly as told, including what RFC 6455 forbids: any opcode,
 * reserved bits, no mask, a declared length that differs from the payload sent. For RawWs tests of
 * hostile input.
 */
final class WireFrame {
    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9;

    private int opcode = TEXT;
    private boolean fin = true;
    private int rsv;
    private boolean masked = true;
    private Long declaredLength;
    private boolean minimalLength = true;
    private byte[] payload = new byte[0];

    static WireFrame text(String text) {
        return new WireFrame().payload(text.getBytes(StandardCharsets.UTF_8));
    }

    static WireFrame of(int opcode, byte[] payload) {
        return new WireFrame().opcode(opcode).payload(payload);
    }

    WireFrame opcode(int opcode) {
        this.opcode = opcode;
        return this;
    }

    WireFrame fin(boolean fin) {
        this.fin = fin;
        return this;
    }

    /** Reserved bits RSV1..RSV3 as the three low bits of {@code bits} (RSV1 = 4). */
    WireFrame rsv(int bits) {
        this.rsv = bits;
        return this;
    }

    WireFrame unmasked() {
        this.masked = false;
        return this;
    }

    /** Announces this length whatever the payload is; the payload is still sent (often: none). */
    WireFrame declaredLength(long length) {
        this.declaredLength = length;
        return this;
    }

    /** Encodes the length in 16 bits even when it fits in 7 (RFC 6455 §5.2 asks for the shortest form). */
    WireFrame nonMinimalLength() {
        this.minimalLength = false;
        return this;
    }

    WireFrame payload(byte[] payload) {
        this.payload = payload;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
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
        for (int i = 0; i < payload.length; i++) f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return f.toByteArray();
    }
}
