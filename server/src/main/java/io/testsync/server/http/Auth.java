package io.testsync.server.http;

import io.testsync.server.wire.Json;
import io.testsync.server.wire.Replies;
import io.testsync.server.config.Config.Credentials;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Basic authentication and protected mode (SPEC §1, §6). Credentials are compared through their
 * SHA-256 digests with {@link MessageDigest#isEqual}, so neither content nor length leaks through timing.
 */
public final class Auth {
    /** What a check decided. */
    public enum Verdict { ALLOWED, UNAUTHORIZED, LOOPBACK_ONLY }

    private static final String REALM = "Basic realm=\"testsync\"";
    private final byte[] expected;
    /** The header every agent library sends: checked first, so most requests skip decoding and hashing. */
    private final byte[] canonicalHeader;

    /** @param credentials null = protected mode: no authentication, loopback clients only */
    public Auth(Credentials credentials) {
        String userPass = credentials == null ? null : credentials.username() + ":" + credentials.password();
        this.expected = userPass == null ? null : digest(userPass);
        this.canonicalHeader = userPass == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.ISO_8859_1);
    }

    public boolean enabled() {
        return expected != null;
    }

    /** Checks the Authorization header, or with {@code allowQuery} the deprecated ?username=&password= pair. */
    public Verdict check(HttpServerRequest req, boolean allowQuery) {
        if (expected == null) return decide(req.remoteAddress().hostAddress(), null, null, null);
        return decide(null, req.getHeader(HttpHeaders.AUTHORIZATION),
                allowQuery ? req.getParam("username") : null, allowQuery ? req.getParam("password") : null);
    }

    /** The decision itself, on plain values: the client's IP address, its Authorization header, its query credentials. */
    Verdict decide(String remoteAddress, String authorization, String queryUser, String queryPassword) {
        if (expected == null) return isLoopback(remoteAddress) ? Verdict.ALLOWED : Verdict.LOOPBACK_ONLY;
        if (authorization != null) {
            // isEqual takes time by the length of its first argument only: the client's own header
            if (MessageDigest.isEqual(authorization.getBytes(StandardCharsets.ISO_8859_1), canonicalHeader)) return Verdict.ALLOWED;
            return matches(fromBasicHeader(authorization)) ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
        }
        if (queryUser != null && queryPassword != null) {
            return matches(queryUser + ":" + queryPassword) ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
        }
        return Verdict.UNAUTHORIZED;
    }

    /** Answers a refused request: 401 with the challenge, or 403 explaining protected mode. */
    public static void refuse(HttpServerRequest req, Verdict verdict) {
        if (verdict == Verdict.LOOPBACK_ONLY) {
            Replies.error(req, 403, "authentication is off, so only clients on this machine are served; "
                    + "set sync_client.username and sync_client.password (or TESTSYNC_SYNC_CLIENT_USERNAME and "
                    + "TESTSYNC_SYNC_CLIENT_PASSWORD) to serve other hosts");
        } else {
            req.response().putHeader("WWW-Authenticate", REALM);
            Replies.error(req, 401, "missing or wrong credentials: use Basic authentication with the sync_client username and password");
        }
    }

    private boolean matches(String userColonPass) {
        return userColonPass != null && MessageDigest.isEqual(expected, digest(userColonPass));
    }

    private static String fromBasicHeader(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            return new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    static boolean isLoopback(String ipAddress) {
        // only IP literals: a name here would cost a lookup and could be spoofed
        if (ipAddress == null || ipAddress.isEmpty() || !(Character.digit(ipAddress.charAt(0), 16) >= 0 || ipAddress.charAt(0) == ':')) {
            return false;
        }
        try {
            return InetAddress.getByName(ipAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
