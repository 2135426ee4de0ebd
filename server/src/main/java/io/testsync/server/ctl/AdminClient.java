package io.testsync.server.ctl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The management API over HTTP, for {@code testsync ctl}: one request, its answer, or one line saying what failed. */
final class AdminClient {
    /** What went wrong, worded for the person at the terminal: one line, no stack trace. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** A 2xx answer. */
    record Answer(int status, String body) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    /** @param user null for no credentials (protected mode on the same machine) */
    AdminClient(String base, String user, String password) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer send(String method, String path) throws Failure {
        URI uri;
        try {
            uri = URI.create(base + path);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new Failure("--url " + base + " is not an http:// address such as http://127.0.0.1:9104");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) req.header("Authorization", authorization);
        HttpResponse<String> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new Failure("could not connect to " + base + ": is the server running?");
        } catch (HttpTimeoutException e) {
            throw new Failure("no answer from " + base + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new Failure("could not talk to " + base + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (res.statusCode() / 100 == 2) return new Answer(res.statusCode(), res.body());
        throw new Failure(refusal(res));
    }

    private static String refusal(HttpResponse<String> res) {
        String message = Json.errorMessage(res.body());
        if (message == null) message = "the server answered HTTP " + res.statusCode() + " (is " + res.uri() + " a TestSync server?)";
        if (res.statusCode() == 401) {
            message += "; pass --user and --password, or set TESTSYNC_ADMIN_USERNAME and TESTSYNC_ADMIN_PASSWORD";
        }
        return message;
    }
}
