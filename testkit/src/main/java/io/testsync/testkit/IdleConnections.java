package io.testsync.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds thousands of WebSocket connections on one selector thread, answering the server's pings so
 * they stay live, at a few hundred bytes each (a full client per connection would cost far more in
 * the test's JVM than the connection costs the server).
 */
public final class IdleConnections implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final Queue<SocketChannel> toRegister = new ConcurrentLinkedQueue<>();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final Thread loop = new Thread(this::run, "idle-connections");
    private volatile boolean closing;

    /** Starts the selector thread; connections join it with {@link #connect}. */
    public IdleConnections() throws IOException {
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Opens one connection to 127.0.0.1:{@code port}{@code path} (with this {@code Authorization}, or none when null)
     * and waits for its 101; from then on the selector thread keeps it.
     */
    public void connect(int port, String path, String authorization) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer head = ByteBuffer.allocate(512);
        while (!endsWithBlankLine(head)) {
            if (!head.hasRemaining() || ch.read(head) < 0) {
                ch.close();
                throw new IOException("no complete upgrade answer for " + path);
            }
        }
        String status = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 101")) {
            ch.close();
            throw new IOException("upgrade of " + path + " refused: " + status.lines().findFirst().orElse(""));
        }
        ch.configureBlocking(false);
        open.incrementAndGet();
        toRegister.add(ch);
        selector.wakeup();
    }

    private static boolean endsWithBlankLine(ByteBuffer b) {
        int p = b.position();
        return p >= 4 && b.get(p - 4) == '\r' && b.get(p - 3) == '\n' && b.get(p - 2) == '\r' && b.get(p - 1) == '\n';
    }

    /** Connections still open (not ended by the server). */
    public int open() {
        return open.get();
    }

    /** Connections the server closed or dropped. */
    public int ended() {
        return ended.get();
    }

    /** Pings answered so far. */
    public int pongs() {
        return pongs.get();
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        try {
            while (!closing) {
                selector.select(500);
                for (SocketChannel ch; (ch = toRegister.poll()) != null; ) {
                    ch.register(selector, SelectionKey.OP_READ);
                    channels.add(ch);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    in.clear();
                    byte[] pending = (byte[]) key.attachment();
                    if (pending != null) in.put(pending);
                    int n;
                    try {
                        n = ch.read(in);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        end(key);
                        continue;
                    }
                    in.flip();
                    key.attach(frames(ch, key, in));
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) throw new IllegalStateException("holder selector failed", e);
        }
    }

    /** Handles the whole frames in {@code in}; returns the bytes of an incomplete last frame, or null. */
    private byte[] frames(SocketChannel ch, SelectionKey key, ByteBuffer in) throws IOException {
        while (in.remaining() >= 2) {
            int start = in.position();
            int opcode = in.get() & 0x0f;
            long len = in.get() & 0x7f;
            if (len == 126) {
                if (in.remaining() < 2) return rest(in, start);
                len = in.getShort() & 0xffff;
            } else if (len == 127) {
                if (in.remaining() < 8) return rest(in, start);
                len = in.getLong();
            }
            if (in.remaining() < len) return rest(in, start);
            byte[] payload = new byte[(int) len];
            in.get(payload);
            if (opcode == WireFrame.PING) {
                ByteBuffer pong = ByteBuffer.allocate(6 + payload.length); // masked with a zero key: payload unchanged
                pong.put((byte) 0x8A).put((byte) (0x80 | payload.length)).putInt(0).put(payload).flip();
                while (pong.hasRemaining()) ch.write(pong);
                pongs.incrementAndGet();
            } else if (opcode == WireFrame.CLOSE) {
                end(key);
                return null;
            }
        }
        return in.hasRemaining() ? rest(in, in.position()) : null;
    }

    private static byte[] rest(ByteBuffer in, int from) {
        byte[] b = new byte[in.limit() - from];
        in.position(from);
        in.get(b);
        return b;
    }

    private void end(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!closing) {
            open.decrementAndGet();
            ended.incrementAndGet();
        }
    }

    /**
     * Resets every connection instead of closing it politely: a polite close by the client leaves
     * 10,000 of its ephemeral ports in TIME_WAIT for a minute, and on some kernels (gVisor) a server
     * started next cannot listen on any of them.
     */
    @Override
    public void close() throws InterruptedException, IOException {
        closing = true;
        selector.wakeup();
        loop.join(10_000);
        for (SocketChannel ch : channels) reset(ch);
        for (SocketChannel ch; (ch = toRegister.poll()) != null; ) reset(ch);
        selector.close();
    }

    private static void reset(SocketChannel ch) throws IOException {
        if (ch.isOpen()) ch.socket().setSoLinger(true, 0);
        ch.close();
    }
}
