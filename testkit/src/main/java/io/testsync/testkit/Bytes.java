package io.testsync.testkit;

import java.io.ByteArrayOutputStream;

/** Byte arrays written the short way, for hand-made frames and payloads. */
public final class Bytes {
    private Bytes() {
    }

    /** The bytes with these values (each cut to its low 8 bits), so {@code of(0xC3, 0x28)} needs no casts. */
    public static byte[] of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** {@code part} {@code times} times over: a burst of the same frame. */
    public static byte[] repeat(byte[] part, int times) {
        byte[] all = new byte[part.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(part, 0, all, i * part.length, part.length);
        return all;
    }
}
