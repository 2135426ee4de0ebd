package io.testsync.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a scenario sends its traffic: the server under test or a limit server. Both get the same
 * Authorization header, so the client does identical work against either.
 */
public record Endpoint(String name, String host, int port, String authorization) {

    public static Endpoint basic(String name, String host, int port, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Endpoint(name, host, port, "Basic " + token);
    }
}
