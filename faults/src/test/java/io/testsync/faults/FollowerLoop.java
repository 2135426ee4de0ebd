package io.testsync.faults;

import io.testsync.testkit.WireFrame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hundreds of topic subscriptions on one selector thread, reading every frame as it comes and
 * answering pings at once. A JDK WebSocket client per subscriber costs so much per message that
 * 400,000 of them back up in the test's JVM on a loaded 2-core machine, pings wait behind them, and
 * the server rightly closes the connections (1001): the subscribers would measure the test, not the
 * server.
 */
final class FollowerLoop implements AutoCloseable {
    /** One connection's unparsed bytes and the text message being assembled from fragments. */
    private static final class Conn {
        final TopicFollower follower;
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

        Conn(TopicFollower follower) {
            this.follower = follower;
        }
    }

    private final Selector selector = Selector.open();
    private final Queue<Conn> toRegister = new ConcurrentLinkedQueue<>();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final Thread loop = new Thread(this::run, "follower-selector");
    private volatile boolean closing;
    private volatile Throwable failure;

    FollowerLoop() throws IOException {
        loop.setDaemon(true);
        loop.start();
    }

    /** Connects /register/{run}?agent={agent} (seed protocol), waits for the 101, sends subscribe; the loop reads from then on. */
    TopicFollower subscribe(int port, String run, String agent, String topic, String subscribeId, long fromSeq) throws IOException {
        TopicFollower follower = new TopicFollower(topic, subscribeId);
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        follower.channel = ch;
        write(ch, ByteBuffer.wrap(("GET /register/" + run + "?agent=" + agent + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: "
                + FaultServer.CREDENTIALS.authorization() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        // byte by byte: nothing after the head may be taken from the channel here
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) throw new IOException(agent + ": connection closed in the upgrade answer: " + head);
            head.append((char) one.get(0));
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            ch.close();
            throw new IOException(agent + ": upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        write(ch, ByteBuffer.wrap(WireFrame.text("{\"command\":\"subscribe\",\"id\":\"" + subscribeId + "\",\"content\":{\"topic\":\"" + topic
                + "\",\"from_seq\":" + fromSeq + "}}").bytes()));
        ch.configureBlocking(false);
        toRegister.add(new Conn(follower));
        selector.wakeup();
        return follower;
    }

    /** Null while the loop runs well; else what broke it. */
    Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(500);
                for (Conn c; (c = toRegister.poll()) != null; ) {
                    c.follower.channel.register(selector, SelectionKey.OP_READ, c);
                    channels.add(c.follower.channel);
                }
                for (SelectionKey key : selector.selectedKeys()) read(key);
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) failure = e;
        }
    }

    private void read(SelectionKey key) throws IOException {
        Conn c = (Conn) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        int n;
        try {
            n = key.isValid() ? ch.read(c.in) : -1;
        } catch (IOException reset) {
            n = -1;
        }
        if (n < 0) {
            key.cancel();
            ch.close();
            c.follower.ended("the connection ended without a close frame");
            return;
        }
        c.in.flip();
        while (frame(ch, c)) {
            // every whole frame in the buffer
        }
        c.in.compact();
        if (!c.in.hasRemaining()) throw new IllegalStateException("a frame larger than " + c.in.capacity() + " bytes");
    }

    /** Handles one whole frame at the buffer's position; false when the buffer holds no whole frame. */
    private boolean frame(SocketChannel ch, Conn c) throws IOException {
        ByteBuffer in = c.in;
        if (in.remaining() < 2) return false;
        in.mark();
        int b0 = in.get() & 0xff;
        long len = in.get() & 0x7f;
        if (len == 126) {
            if (in.remaining() < 2) return reset(in);
            len = in.getShort() & 0xffff;
        } else if (len == 127) {
            if (in.remaining() < 8) return reset(in);
            len = in.getLong();
        }
        if (in.remaining() < len) return reset(in);
        byte[] payload = new byte[(int) len];
        in.get(payload);
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0f) {
            case WireFrame.TEXT, WireFrame.CONTINUATION -> {
                c.fragments.writeBytes(payload);
                if (fin) {
                    c.follower.take(c.fragments.toString(StandardCharsets.UTF_8));
                    c.fragments.reset();
                }
            }
            case WireFrame.BINARY -> c.follower.binary();
            case WireFrame.PING -> write(ch, ByteBuffer.wrap(WireFrame.of(WireFrame.PONG, payload).bytes()));
            case WireFrame.CLOSE -> c.follower.ended("the server closed the connection with "
                    + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | payload[1] & 0xff) : 1005) + " "
                    + new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2), StandardCharsets.UTF_8));
            default -> c.follower.ended("a frame with opcode " + (b0 & 0x0f));
        }
        return true;
    }

    private static boolean reset(ByteBuffer in) {
        in.reset();
        return false;
    }

    /** Writes all of it; the frames written here are a few bytes, so the loop never waits long. */
    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Resets every connection (no TIME_WAIT left behind) and stops the loop. */
    @Override
    public void close() throws Exception {
        closing = true;
        selector.wakeup();
        loop.join(10_000);
        for (SocketChannel ch : channels) {
            if (ch.isOpen()) ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            ch.close();
        }
        for (Conn c; (c = toRegister.poll()) != null; ) c.follower.channel.close();
        selector.close();
    }
}
