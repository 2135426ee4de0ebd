package io.testsync.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Finds the configuration file ({@code -c dir}, {@code -c file}, {@code ./config/configuration.json}) and reads its keys. */
final class ConfigFile {

    static final String FILE_NAME = "configuration.json";

    /**
     * Built on first use, so a start without a configuration file does not pay for databind. Duplicate
     * keys are an error, not "last one wins": one of the two values is a mistake the user cannot see.
     * Text after the object is an error for the same reason.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private ConfigFile() {
    }

    /** The file to read, or null when there is none and the built-in defaults apply. */
    static Path locate(String configArg, Path workingDir) throws ConfigException {
        if (configArg == null) {
            Path conventional = workingDir.resolve("config").resolve(FILE_NAME);
            return Files.exists(conventional) ? conventional : null;
        }
        if (configArg.isBlank()) {
            throw new ConfigException("-c: the value is empty; pass the directory that holds " + FILE_NAME
                    + " or the file itself");
        }
        Path given;
        try {
            given = workingDir.resolve(configArg).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException("-c " + configArg + ": not a valid path; pass the directory that holds "
                    + FILE_NAME + " or the file itself");
        }
        if (!Files.exists(given)) {
            throw new ConfigException("-c " + given + ": no such file or directory; pass the directory that holds "
                    + FILE_NAME + " or the file itself");
        }
        if (Files.isDirectory(given)) {
            Path file = given.resolve(FILE_NAME);
            if (!Files.exists(file)) {
                throw new ConfigException("-c " + given + ": the directory has no " + FILE_NAME
                        + "; create it there or pass the configuration file itself");
            }
            return file;
        }
        return given;
    }

    /** Each known key's value in the file (JSON null = default, so left out); a warning per unknown key. */
    static Map<ConfigKey, RawValue> read(Path file, List<String> warnings) throws ConfigException {
        JsonNode root = parse(file);
        if (root.isMissingNode()) {
            throw new ConfigException(file + ": the file is empty; write a JSON object such as {\"http_port\": 9104}"
                    + " or delete the file to use the defaults");
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the top level must be a JSON object such as {\"http_port\": 9104}, got "
                    + kind(root) + "; wrap the keys in { }");
        }
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (ConfigKey.byPath(name) != null) {
                put(values, ConfigKey.byPath(name), file, node);
            } else if (ConfigKey.isSection(name)) {
                readSection(file, name, node, values, warnings);
            } else {
                warnings.add(unknownKey(file, name));
            }
        }
        return values;
    }

    private static void readSection(Path file, String section, JsonNode node, Map<ConfigKey, RawValue> values,
                                    List<String> warnings) throws ConfigException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            ConfigKey first = ConfigKey.firstIn(section);
            String leaf = first.path().substring(section.length() + 1);
            // The kind, not the value: "sync_client": "user:secret" must not echo the secret.
            throw new ConfigException(file + ": " + section + " must be a JSON object such as {\"" + leaf + "\": "
                    + first.jsonExample() + "}, got " + kind(node) + "; put its keys inside { }");
        }
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            String path = section + "." + child.getKey();
            ConfigKey key = ConfigKey.byPath(path);
            if (key != null) {
                put(values, key, file, child.getValue());
            } else {
                warnings.add(unknownKey(file, path));
            }
        }
    }

    private static void put(Map<ConfigKey, RawValue> values, ConfigKey key, Path file, JsonNode node) {
        if (!node.isNull()) {
            values.put(key, new RawValue.InFile(key, file, node));
        }
    }

    static String unknownKey(Path file, String path) {
        return file + ": unknown key '" + path + "' is ignored; "
                + ConfigKey.suggest(path).map(k -> "did you mean '" + k + "'?")
                .orElse("see the configuration keys in README.md");
    }

    private static JsonNode parse(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            String reason = e instanceof IOException io ? IoReasons.describe(io) : "permission denied";
            throw new ConfigException(file + ": cannot read the configuration file (" + reason
                    + "); make it a readable file or pass another one with -c");
        }
        try {
            return Mapper.JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw malformed(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file (" + IoReasons.describe(e) + ")");
        }
    }

    private static ConfigException malformed(Path file, JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            // The parser stands on the second occurrence; its context gives the full path.
            String path = parser.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
            return new ConfigException(file + ": key '" + path + "' appears twice (second time" + where
                    + "); keep only one of them");
        }
        String problem;
        if (e instanceof JsonEOFException) {
            problem = "the file ends before the JSON is complete (a missing '}' or ']'?)";
        } else if (e instanceof MismatchedInputException && original.startsWith("Trailing token")) {
            problem = "there is more text after the closing '}'";
        } else {
            // Jackson's advice names its own feature flags, which a user cannot set: keep the diagnosis only.
            problem = original.replaceAll("\\s+", " ").replaceAll(":? ?enable `.*$", "").trim();
        }
        return new ConfigException(file + ": malformed JSON" + where + ": " + problem + "; fix the JSON syntax there");
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
