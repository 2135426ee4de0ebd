package io.testsync.server.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection the server decided to close (SPEC §7.1: 1001, 1008, 1009, 1002, 1007, operator
 * removal) so that its socket is really released. The close frame goes out behind what is already
 * queued; meanwhile the connection keeps reading and discarding what the peer still sends (a lingering
 * close: closing TCP with unread input would reset it, and a client still sending a large frame would
 * lose the close frame and see 1006). If the closing handshake has not ended within the grace time,
 * the TCP connection is reset (SO_LINGER 0): a peer that never reads would otherwise keep the close
 * frame, the queued bytes and the file descriptor stuck behind its full window for as long as it likes.
 */
final class Closer {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final long graceMs;

    /** @param graceMs how long the closing handshake may take before the connection is reset; below 5 s (SPEC §7.1) */
    Closer(long graceMs) {
        this.graceMs = graceMs;
    }

    /** Sends the close frame with {@code code} and makes sure the connection is gone within the grace time. Runs on the socket's loop. */
    void close(ServerWebSocket ws, int code, String reason, Object who) {
        Channel channel = ws instanceof WebSocketInternal internal ? internal.channelHandlerContext().channel() : null;
        ws.close((short) code, reason);
        if (channel == null) return; // not a Vert.x socket of ours: its own closing timeout is all there is
        // on the channel's own event loop, the loop this connection already runs on
        channel.eventLoop().schedule(() -> {
            if (!channel.isOpen()) return;
            log.debug("{}: no end of the closing handshake ({}) within {} ms; resetting the TCP connection", who, code, graceMs);
            reset(channel);
        }, graceMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Closes with an RST: the kernel drops what is still queued and frees the socket at once, instead of
     * keeping it for the peer. The close starts at the head of the pipeline: {@code channel.close()} would
     * pass through Vert.x's handler, which turns it into one more wait for the closing handshake.
     */
    static void reset(Channel channel) {
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException notSupported) {
            // a transport without SO_LINGER: the close below still releases our side
        }
        var first = channel.pipeline().firstContext();
        if (first != null) first.close();
        else channel.close();
    }
}
