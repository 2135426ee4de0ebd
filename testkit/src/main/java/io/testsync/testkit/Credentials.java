package io.testsync.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password, and the HTTP Basic header value they make. */
public record Credentials(String user, String password) {

    /** {@code Basic base64(user:password)}, the value of an {@code Authorization} header. */
    public String authorization() {
        return basic(user, password);
    }

    /** {@code Basic base64(user:password)} for any pair, wrong ones included. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
