package io.testsync.server.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Redis server is: {@code redis://[user:password@]host[:port][/db]} parsed and checked; or a
 * Redis Cluster, {@code redis-cluster://[user:password@]host:port[,host:port...]}, named by some of its
 * nodes (the client learns the rest and the slots from them; a cluster has database 0 only). The
 * password never appears in {@link #toString()}, so a config record can be logged.
 *
 * @param host     host name or IP address (an IPv6 address without its brackets)
 * @param port     1–65535; 6379 when the URL gives none
 * @param user     ACL user name, or null for Redis's {@code default} user
 * @param password password, or null when Redis asks for none
 * @param db       logical database number, 0 or more
 * @param cluster  for a Redis Cluster, every node the URL names as {@code host:port} (the first is
 *                 {@code host}/{@code port}); empty for a single Redis
 */
public record RedisUrl(String host, int port, String user, String password, int db, List<String> cluster) {

    /** The form every error message shows. */
    public static final String FORM = "redis://[user:password@]host:port[/db]";
    /** The form of a Redis Cluster's URL, for error messages. */
    public static final String CLUSTER_FORM = "redis-cluster://[user:password@]host:port[,host:port...]";
    private static final String CLUSTER_SCHEME = "redis-cluster://";

    private static final Pattern URL = Pattern.compile(
            "redis://(?:(?<userinfo>[^@/]*)@)?(?<host>\\[[0-9A-Fa-f:.]+]|[^:/@\\[\\]\\s]+)(?::(?<port>[^/]*))?(?:/(?<db>.*))?");

    public RedisUrl {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("port must be 1-65535, was " + port);
        if (db < 0) throw new IllegalArgumentException("db must not be negative, was " + db);
        cluster = List.copyOf(Objects.requireNonNull(cluster, "cluster"));
        if (!cluster.isEmpty() && db != 0) throw new IllegalArgumentException("a Redis Cluster has database 0 only, was " + db);
    }

    /** A single Redis. */
    public RedisUrl(String host, int port, String user, String password, int db) {
        this(host, port, user, password, db, List.of());
    }

    /** Whether this names a Redis Cluster. */
    public boolean isCluster() {
        return !cluster.isEmpty();
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
        if (text.startsWith(CLUSTER_SCHEME)) return parseCluster(text.substring(CLUSTER_SCHEME.length()));
        if (!text.startsWith("redis://")) throw new IllegalArgumentException("it must start with redis:// (or redis-cluster:// for a Redis Cluster)");
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

    /** {@code [user:password@]host:port[,host:port...]}: each node as in a redis:// URL, no database. */
    private static RedisUrl parseCluster(String rest) {
        int at = rest.lastIndexOf('@');
        String credentials = at < 0 ? "" : rest.substring(0, at + 1);
        String nodes = rest.substring(at + 1);
        if (nodes.contains("/")) throw new IllegalArgumentException("a Redis Cluster has database 0 only: no /db in " + CLUSTER_FORM);
        if (nodes.isEmpty()) throw new IllegalArgumentException("it needs at least one host:port: " + CLUSTER_FORM);
        List<String> endpoints = new ArrayList<>();
        RedisUrl first = null;
        for (String node : nodes.split(",", -1)) {
            if (node.isEmpty()) throw new IllegalArgumentException("a node between commas is empty: " + CLUSTER_FORM);
            RedisUrl one = parse("redis://" + credentials + node);
            if (first == null) first = one;
            String h = one.host.indexOf(':') >= 0 ? "[" + one.host + "]" : one.host;
            endpoints.add(h + ":" + one.port);
        }
        return new RedisUrl(first.host, first.port, first.user, first.password, 0, endpoints);
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
        if (isCluster()) throw new IllegalStateException("a Redis Cluster has no single address; see addresses()");
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "redis://" + h + ":" + port + "/" + db;
    }

    /** Every node to connect to, without credentials: {@code redis://host:port/db} each. */
    public List<String> addresses() {
        if (!isCluster()) return List.of(address());
        return cluster.stream().map(node -> "redis://" + node + "/0").toList();
    }

    /** The URL with the password masked; for logs and messages. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String credentials = password == null ? "" : (user == null ? "" : user) + ":***@";
        if (isCluster()) return CLUSTER_SCHEME + credentials + String.join(",", cluster);
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
