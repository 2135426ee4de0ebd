package io.testsync.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link RawValue} into the typed value its key needs, or a one-line {@link ConfigException}.
 * File values must have the right JSON type (a port is a number, not "9104"); environment values are
 * text by nature and are parsed.
 */
final class Values {

    static final Set<String> LEVELS = Set.of("DEBUG", "INFO", "WARN", "ERROR");

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
    /** "*", "null" (what sandboxed pages send) or scheme://host[:port] without a path: what an Origin header holds. */
    private static final Pattern ORIGIN = Pattern.compile("\\*|null|[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+");

    private Values() {
    }

    static int port(RawValue v) throws ConfigException {
        long port = integer(v, "a whole number from 1 to 65535");
        if (port < 1 || port > 65_535) {
            throw v.invalid("a whole number from 1 to 65535");
        }
        return (int) port;
    }

    /** Zero or more milliseconds (0 has a meaning for timeouts: wait forever). */
    static long millis(RawValue v) throws ConfigException {
        long ms = integer(v, "a whole number of milliseconds, 0 or more");
        if (ms < 0) {
            throw v.invalid("a whole number of milliseconds, 0 or more");
        }
        return ms;
    }

    /** A bound of §7: at least 1, because a limit of 0 would refuse every client. */
    static int limit(RawValue v) throws ConfigException {
        long n = integer(v, "a whole number from 1 to " + Integer.MAX_VALUE);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw v.invalid("a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    static String host(RawValue v) throws ConfigException {
        String host = text(v, "a host name or IP address");
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw v.invalid("a host name or IP address");
        }
        return host;
    }

    /** DEBUG, INFO, WARN or ERROR in any case; returned upper case. */
    static String level(RawValue v) throws ConfigException {
        String level = text(v, "one of DEBUG, INFO, WARN, ERROR").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw v.invalid("one of DEBUG, INFO, WARN, ERROR");
        }
        return level;
    }

    /** "memory", "sqlite" or "redis" in any case; returned lower case. */
    static String storageType(RawValue v) throws ConfigException {
        String expectation = "\"memory\", \"sqlite\" or \"redis\"";
        String type = text(v, expectation).toLowerCase(Locale.ROOT);
        if (!type.equals(Config.Storage.MEMORY) && !type.equals(Config.Storage.SQLITE) && !type.equals(Config.Storage.REDIS)) {
            throw v.invalid(expectation);
        }
        return type;
    }

    /** {@code redis://[user:password@]host:port[/db]}; the message says which part is wrong, never the password. */
    static RedisUrl redisUrl(RawValue v) throws ConfigException {
        String expectation = "a Redis URL " + RedisUrl.FORM;
        String text = text(v, expectation);
        try {
            return RedisUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw v.invalid(expectation + " (" + e.getMessage() + ")");
        }
    }

    static String nodeId(RawValue v) throws ConfigException {
        String expectation = "a node name of " + NodeIds.RULE;
        String id = text(v, expectation);
        if (!NodeIds.isValid(id)) {
            throw v.invalid(expectation);
        }
        return id;
    }

    /** A node lease: renewed several times within it, so below 100 ms it would lapse on any pause. */
    static long leaseMillis(RawValue v) throws ConfigException {
        String expectation = "a whole number of milliseconds from 100 to 3600000";
        long ms = integer(v, expectation);
        if (ms < 100 || ms > 3_600_000) {
            throw v.invalid(expectation);
        }
        return ms;
    }

    /** A path, resolved against the working directory so the server does not depend on where the JVM thinks it is. */
    static Path path(RawValue v, Path workingDir) throws ConfigException {
        String text = text(v, "a file system path");
        if (text.isEmpty()) {
            throw v.invalid("a file system path");
        }
        try {
            return workingDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw v.invalid("a file system path");
        }
    }

    /** A string as written (credentials: spaces may be part of them); may be empty. */
    static String string(RawValue v) throws ConfigException {
        return text(v, "a string");
    }

    /** A duration above zero written with a unit: "500ms", "90s", "30m", "12h", "2d". */
    static Duration duration(RawValue v) throws ConfigException {
        String expectation = "a duration above zero such as \"500ms\", \"90s\", \"30m\", \"12h\" or \"2d\"";
        Matcher m = DURATION.matcher(text(v, expectation));
        if (!m.matches()) {
            throw v.invalid(expectation);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw v.invalid(expectation);
        }
        return d;
    }

    /** Allowed CORS origins: a JSON array in the file, a comma-separated list in the environment. */
    static List<String> origins(RawValue v) throws ConfigException {
        String expectation = "a list of origins such as [\"https://ci.example.com\"] or [\"*\"] (scheme://host[:port], no path)";
        List<String> origins = new ArrayList<>();
        if (v instanceof RawValue.InFile f) {
            if (!f.node().isArray()) {
                throw v.invalid(expectation);
            }
            for (JsonNode element : f.node()) {
                if (!element.isTextual()) {
                    throw v.invalid(expectation);
                }
                origins.add(element.textValue().trim());
            }
        } else {
            for (String part : ((RawValue.InEnv) v).text().split(",")) {
                if (!part.isBlank()) {
                    origins.add(part.trim());
                }
            }
        }
        // An origin with a path or without a scheme never equals a browser's Origin header: refusing it
        // here beats CORS failing silently in every browser agent.
        if (!origins.stream().allMatch(o -> ORIGIN.matcher(o).matches())) {
            throw v.invalid(expectation);
        }
        return List.copyOf(origins);
    }

    private static long integer(RawValue v, String expectation) throws ConfigException {
        if (v instanceof RawValue.InFile f) {
            JsonNode node = f.node();
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            if (node.isTextual() && INTEGER.matcher(node.textValue().trim()).matches()) {
                throw new ConfigException(v.where() + " must be a number, not a string, got " + v.shown()
                        + "; write it without quotes: " + node.textValue().trim());
            }
            throw v.invalid(expectation);
        }
        String text = ((RawValue.InEnv) v).text().trim();
        if (!INTEGER.matcher(text).matches()) {
            throw v.invalid(expectation);
        }
        return Long.parseLong(text);
    }

    /** The string a key holds: a JSON string in the file; the variable's text (trimmed unless it is a credential). */
    private static String text(RawValue v, String expectation) throws ConfigException {
        if (v instanceof RawValue.InFile f) {
            if (!f.node().isTextual()) {
                throw v.invalid(expectation);
            }
            return f.node().textValue();
        }
        String text = ((RawValue.InEnv) v).text();
        ConfigKey.Kind kind = v.key().kind();
        return kind == ConfigKey.Kind.TEXT || kind == ConfigKey.Kind.SECRET ? text : text.trim();
    }
}
