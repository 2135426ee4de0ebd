package io.testsync.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/** The HTTP side of the test: one request at a time, every failure turned into a {@link StepFailure}. */
final class Http {

    /** What came back: status, exact body bytes, Content-Type (null when absent). */
    record Response(int status, byte[] body, String contentType) {

        /** The media type without parameters, lower case; null when there was no Content-Type. */
        String mediaType() {
            if (contentType == null) {
                return null;
            }
            int semicolon = contentType.indexOf(';');
            return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }

        String describe() {
            return "HTTP " + status + (contentType == null ? " (no Content-Type)" : " (Content-Type " + contentType + ")")
                    + " with " + Problems.preview(body);
        }
    }

    private final HttpClient client;
    private final String baseUrl;
    private final String authorization;

    Http(HttpClient client, String baseUrl, String authorization) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** The full URL of a path, for messages. */
    String url(String path) {
        return baseUrl + path;
    }

    Response get(String path, Deadline deadline) throws StepFailure, InterruptedException {
        return send("GET", path, null, null, deadline);
    }

    Response delete(String path, Deadline deadline) throws StepFailure, InterruptedException {
        return send("DELETE", path, null, null, deadline);
    }

    Response post(String path, byte[] body, String contentType, Deadline deadline)
            throws StepFailure, InterruptedException {
        return send("POST", path, body, contentType, deadline);
    }

    Response put(String path, byte[] body, String contentType, Deadline deadline)
            throws StepFailure, InterruptedException {
        return send("PUT", path, body, contentType, deadline);
    }

    private Response send(String method, String path, byte[] body, String contentType, Deadline deadline)
            throws StepFailure, InterruptedException {
        String what = method + " " + url(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(deadline.remaining())
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StepFailure(what + " failed: " + Problems.describe(e)
                    + (Problems.unwrap(e) instanceof java.net.http.HttpTimeoutException
                    ? " (no response within " + deadline.budget() + ")" : ""));
        }
        return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(null));
    }
}
