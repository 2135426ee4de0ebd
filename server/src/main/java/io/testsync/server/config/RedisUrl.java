package io.testsync.server.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Redis server is: {@code redis://[user:password@]host[:port][/db]} parsed and checked. The
 * password never appears in {@link #toString()}, so a config record can be logged.
 *
 * @param host     host name or IP address (an IPv6 address without its brackets)
 * @param port     1–65535; 6379 when the URL gives none
 * @param user     ACL user name, or null for Redis's {@code default} user
 * @param password password, or null when Redis asks for none
 * @param db       logical database number, 0 or more
 */
public record RedisUrl(String host, int port, String user, String password, int db) {

    /** The form every error message shows. */
    public static final String FORM = "redis://[user:password@]host:port[/db]";

    private static final Pattern URL = Pattern.compile(
            "redis://(?:(?<userinfo>[^@/]*)@)?(?<host>\\[[0-9A-Fa-f:.]+]|[^:/@\\[\\]\\s]+)(?::(?<port>[^/]*))?(?:/(?<db>.*))?");

    public RedisUrl {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("port must be 1-65535, was " + port);
        if (db < 0) throw new IllegalArgumentException("db must not be negative, was " + db);
    }

    /** A URL for tests and callers that have the parts already: no credentials, database 0. */
    public static RedisUrl of(String host, int port) {
        return new RedisUrl(host, port, null, null, 0);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a short reason ("the port must be ...") that the config
     *                                  layer puts in its one-line message; never containing the password
     */
    public static RedisUrl parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("rediss://")) {
            throw new IllegalArgumentException("TLS (rediss://) is not supported; use redis:// on a trusted network");
        }
        if (!text.startsWith("redis://")) throw new IllegalArgumentException("it must start with redis://");
        Matcher m = URL.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("it needs a host after redis://");
        String host = m.group("host");
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        int port = 6379;
        if (m.group("port") != null) {
            port = number(m.group("port"), 65_535);
            if (port < 1) throw new IllegalArgumentException("the port must be a number from 1 to 65535");
        }
        int db = 0;
        if (m.group("db") != null && !m.group("db").isEmpty()) db = number(m.group("db"), Integer.MAX_VALUE);
        String user = null;
        String password = null;
        String userinfo = m.group("userinfo");
        if (userinfo != null) {
            int colon = userinfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("a user name needs its password: user:password@ (or :password@ for the default user)");
            }
            user = colon == 0 ? null : decode(userinfo.substring(0, colon));
            password = decode(userinfo.substring(colon + 1));
            if (password.isEmpty()) throw new IllegalArgumentException("the password after the ':' is empty");
        }
        return new RedisUrl(host, port, user, password, db);
    }

    private static int number(String text, int max) {
        if (!text.matches("\\d{1,10}") || Long.parseLong(text) > max) {
            throw new IllegalArgumentException(max == 65_535 ? "the port must be a number from 1 to 65535"
                    : "the database after '/' must be a whole number, 0 or more");
        }
        return Integer.parseInt(text);
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the user or password holds a malformed %-escape");
        }
    }

    /** Host and port as a Redis client connects to them, without credentials: {@code redis://host:port/db}. */
    public String address() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "redis://" + h + ":" + port + "/" + db;
    }

    /** The URL with the password masked; for logs and messages. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String credentials = password == null ? "" : (user == null ? "" : user) + ":***@";
        return "redis://" + credentials + h + ":" + port + "/" + db;
    }

    /** {@code text} with whatever stands between "://" and "@" masked, so no message echoes a password. */
    static String redact(String text) {
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return text;
        return text.substring(0, scheme + 3) + "***" + text.substring(at);
    }
}
