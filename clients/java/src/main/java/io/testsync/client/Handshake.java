package io.testsync.client;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;

/** Turns a failed WebSocket opening into a {@link TestSyncException} that says what to fix. */
final class Handshake {
    private Handshake() {
    }

    static TestSyncException failure(URI uri, Throwable error) {
        Throwable t = Await.unwrapCause(error);
        if (t instanceof TestSyncException e) return e;
        if (t instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            String body = body(h.getResponse().body());
            return new TestSyncException(TestSyncException.CONNECT_FAILED, "", "the server refused " + uri + " with HTTP "
                    + status + ": " + hint(status) + (body.isEmpty() ? "" : " (server said: " + body + ")"), status, t);
        }
        if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException) {
            return new TestSyncException(TestSyncException.CONNECT_FAILED, "", "no answer from " + uri
                    + " within the connect timeout: is the host reachable? (Options.connectTimeout)", 0, t);
        }
        if (t instanceof ConnectException) {
            return new TestSyncException(TestSyncException.CONNECT_FAILED, "", "cannot connect to " + uri
                    + ": connection refused; is the TestSync server running on that host and port?", 0, t);
        }
        return new TestSyncException(TestSyncException.CONNECT_FAILED, "", "cannot connect to " + uri + ": " + t, 0, t);
    }

    private static String hint(int status) {
        return switch (status) {
            case 400 -> "the run ID or agent name is not accepted";
            case 401 -> "missing or wrong credentials; pass the server's sync_client.username/password with Options.credentials";
            case 403 -> "the server has no credentials configured (protected mode) and serves only its own machine;"
                    + " its operator sets sync_client.username and .password";
            case 404 -> "no TestSync WebSocket endpoint at this path; pass the server's base URI, e.g. ws://host:9105";
            case 503 -> "a server limit is reached (runs or connections); retry later or raise the limit";
            default -> "unexpected status";
        };
    }

    private static String body(Object body) {
        String s;
        if (body instanceof String str) s = str;
        else if (body instanceof byte[] bytes) s = new String(bytes, StandardCharsets.UTF_8);
        else return "";
        s = s.strip();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
