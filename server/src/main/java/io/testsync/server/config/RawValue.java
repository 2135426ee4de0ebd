package io.testsync.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One key's value as the user wrote it, and where, so that an error points at the exact thing to fix. */
sealed interface RawValue {

    /** Longest value echoed in a message: the line must stay readable. */
    int SHOWN_MAX = 60;

    ConfigKey key();

    /** Where the value came from, naming the key: "/x/configuration.json: http_port". */
    String where();

    /** How to write a good value there. */
    String fix();

    /** The value as written, quoted, on one line; never a secret's value. */
    String shown();

    /** The ONE-line error for a value that is not what the key needs. */
    default ConfigException invalid(String expectation) {
        return new ConfigException(where() + " must be " + expectation + ", got " + shown() + "; " + fix());
    }

    /** A value from the configuration file. */
    record InFile(ConfigKey key, Path file, JsonNode node) implements RawValue {
        @Override
        public String where() {
            return file + ": " + key.path();
        }

        @Override
        public String fix() {
            return "set it to e.g. " + key.jsonExample() + " or remove it to use the default";
        }

        @Override
        public String shown() {
            if (key.kind() == ConfigKey.Kind.SECRET) {
                return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            }
            // JSON text escapes control characters, so the echo cannot break the line.
            String json = node.toString();
            return abbreviate(key.kind() == ConfigKey.Kind.REDIS_URL ? RedisUrl.redact(json) : json);
        }
    }

    /** A value from a {@code TESTSYNC_*} environment variable. */
    record InEnv(ConfigKey key, String text) implements RawValue {
        @Override
        public String where() {
            return "environment variable " + key.envName() + " (" + key.path() + ")";
        }

        @Override
        public String fix() {
            return "set e.g. " + key.envName() + "=" + key.envExample() + " or unset it";
        }

        @Override
        public String shown() {
            if (key.kind() == ConfigKey.Kind.SECRET) {
                return "a hidden value";
            }
            StringBuilder quoted = new StringBuilder("\"");
            text.codePoints().forEach(c -> {
                if (Character.isISOControl(c)) {
                    quoted.append(String.format("\\u%04x", c));
                } else {
                    quoted.appendCodePoint(c);
                }
            });
            String shown = quoted.append('"').toString();
            return abbreviate(key.kind() == ConfigKey.Kind.REDIS_URL ? RedisUrl.redact(shown) : shown);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= SHOWN_MAX ? s : s.substring(0, SHOWN_MAX) + "...";
    }
}
