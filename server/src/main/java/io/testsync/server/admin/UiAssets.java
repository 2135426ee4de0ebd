package io.testsync.server.admin;

import io.testsync.server.wire.Replies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live page's files, read once from the jar ({@code /ui/} in the resources) and served from
 * memory. The Content-Security-Policy allows only this origin: the page cannot load anything from
 * the internet, and an injected script (a run or agent name is shown, never interpreted) cannot run.
 */
public final class UiAssets {
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "view.js", "text/javascript; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, Buffer> files;

    public UiAssets() {
        var loaded = new java.util.HashMap<String, Buffer>();
        for (String name : TYPES.keySet()) loaded.put(name, Buffer.buffer(read(name)));
        this.files = Map.copyOf(loaded);
    }

    private static byte[] read(String name) {
        try (InputStream in = UiAssets.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) throw new IllegalStateException("the jar lacks /ui/" + name + ": the build is broken");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading /ui/" + name + " from the jar", e);
        }
    }

    void serve(HttpServerRequest req) {
        if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
            Replies.methodNotAllowed(req, "GET, HEAD");
            return;
        }
        String path = req.path();
        if (path.equals("/ui")) {
            req.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/ui/").end();
            return;
        }
        String name = path.equals("/ui/") ? "index.html" : path.substring("/ui/".length());
        Buffer body = files.get(name);
        if (body == null) {
            Replies.error(req, 404, "no file " + path + " in the live page; open /ui/");
            return;
        }
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(body.copy());
    }
}
