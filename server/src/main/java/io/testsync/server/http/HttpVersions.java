package io.testsync.server.http;

import io.testsync.server.wire.Replies;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * SPEC §7.1: a request in an HTTP version the server does not speak ({@code GET / HTTP/9.9}) is
 * answered {@code 505} with the JSON error shape. Vert.x answers such a request itself, with an
 * empty {@code 501}, before any handler of ours sees it; so a Netty handler right after the decoder
 * lets it through as HTTP/1.1 with the version it really had in a header of ours (removed from
 * every other request, so a client cannot set it), and the router answers it first.
 */
@ChannelHandler.Sharable
public final class HttpVersions extends ChannelInboundHandlerAdapter {
    private static final HttpVersions INSTANCE = new HttpVersions();
    private static final String MARK = "x-testsync-unsupported-version";

    private HttpVersions() {
    }

    /** For {@code HttpServer.connectionHandler}: puts the check right after the connection's HTTP decoder. */
    public static void install(HttpConnection conn) {
        if (!(conn instanceof ConnectionBase base)) return; // not an HTTP/1.x connection of Vert.x: nothing decodes versions there
        var pipeline = base.channelHandlerContext().pipeline();
        if (pipeline.get("httpDecoder") != null && pipeline.get(HttpVersions.class) == null) {
            pipeline.addAfter("httpDecoder", "testsync-http-version", INSTANCE);
        }
    }

    /** Takes the check out again: a connection upgraded to a WebSocket sends no more HTTP requests. */
    static void uninstall(io.netty.channel.ChannelPipeline pipeline) {
        if (pipeline.get(HttpVersions.class) != null) pipeline.remove(INSTANCE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            req.headers().remove(MARK);
            HttpVersion v = req.protocolVersion();
            if (!HttpVersion.HTTP_1_1.equals(v) && !HttpVersion.HTTP_1_0.equals(v)) {
                req.headers().set(MARK, v.text());
                req.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The version the request really came in when the server does not speak it (e.g. "HTTP/9.9"); null for HTTP/1.0 and 1.1. */
    public static String unsupported(HttpServerRequest req) {
        return req.getHeader(MARK);
    }

    /** Answers 505 naming the version, and closes the connection: what follows on it need not be HTTP/1.1. */
    public static void refuse(HttpServerRequest req, String version) {
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        Replies.error(req, 505, version + " is not supported: this server speaks HTTP/1.1 (and HTTP/1.0)");
        req.connection().close();
    }
}
