package io.testsync.e2e;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What the program runs against, read from the {@code TESTSYNC_*} environment variables of the
 * original e2e script, plus {@code TESTSYNC_TEST_ID} to pin the run's id.
 *
 * @param httpUrl     base of the HTTP API, without a trailing slash
 * @param wsUrl       base of the WebSocket endpoint, without a trailing slash
 * @param user        Basic auth user name
 * @param pass        Basic auth password
 * @param testId      the run's id
 * @param fixedTestId true when the id came from {@code TESTSYNC_TEST_ID}: earlier runs may have left data under it
 */
record Settings(String httpUrl, String wsUrl, String user, String pass, String testId, boolean fixedTestId) {

    static final String DEFAULT_HTTP_URL = "http://localhost:9104";
    static final String DEFAULT_WS_URL = "ws://localhost:9105";
    static final String DEFAULT_USER = "exampleUserName";
    static final String DEFAULT_PASS = "examplePassWord";

    /** SPEC §2: the characters and length the server accepts in {testID}. */
    static final Pattern TEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * Reads the settings from an environment map.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong with it
     */
    static Settings fromEnv(Map<String, String> env) {
        String http = baseUrl(env, "TESTSYNC_HTTP_URL", DEFAULT_HTTP_URL, "http", "https");
        String ws = baseUrl(env, "TESTSYNC_WS_URL", DEFAULT_WS_URL, "ws", "wss");
        String user = valueOr(env, "TESTSYNC_USER", DEFAULT_USER);
        String pass = valueOr(env, "TESTSYNC_PASS", DEFAULT_PASS);
        String id = env.get("TESTSYNC_TEST_ID");
        boolean fixed = id != null && !id.isEmpty();
        if (fixed && !TEST_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("TESTSYNC_TEST_ID \"" + id + "\" is not a valid test id:"
                    + " use 1 to 128 characters from A-Z a-z 0-9 . _ -");
        }
        return new Settings(http, ws, user, pass, fixed ? id : freshTestId(System.currentTimeMillis()), fixed);
    }

    /** A test id no earlier run has used: {@code e2e-<unix ms>-<random>}. */
    static String freshTestId(long nowMillis) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
        return "e2e-" + nowMillis + "-" + random;
    }

    private static String valueOr(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static String baseUrl(Map<String, String> env, String name, String fallback, String... schemes) {
        String value = valueOr(env, name, fallback);
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " \"" + value + "\" is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean known = false;
        for (String s : schemes) {
            known |= s.equals(scheme);
        }
        if (!known || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " \"" + value + "\" must look like " + schemes[0]
                    + "://host:port (scheme " + String.join(" or ", schemes) + ")");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(name + " \"" + value + "\" must not have a query or fragment");
        }
        return value;
    }
}
