package io.testsync.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every configuration the server cannot run with ends in ONE line that names the file or variable and the
 * key, says what is wrong with the value it got, and how to fix it (SPEC §1).
 */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    /** The message for this file content; "{file}" in the expectation stands for the file's path. */
    private String fileError(String json) throws IOException {
        Path file = Files.writeString(dir.resolve("configuration.json"), json);
        String message = message(() -> ConfigLoader.load(file.toString(), Map.of(), dir));
        return message.replace(file.toString(), "{file}");
    }

    private String envError(Map<String, String> env) {
        return message(() -> ConfigLoader.load(null, env, dir));
    }

    private interface Load {
        void run() throws ConfigException;
    }

    private static String message(Load load) {
        ConfigException e = catchThrowableOfType(ConfigException.class, load::run);
        assertThat(e).as("a ConfigException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
        assertThat(e.getStackTrace()).as("no stack trace to print").isEmpty();
        return e.getMessage();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"http_port": "abc"}    | {file}: http_port must be a whole number from 1 to 65535, got "abc"; set it to e.g. 9104 or remove it to use the default
            {"http_port": 9104.5}   | {file}: http_port must be a whole number from 1 to 65535, got 9104.5; set it to e.g. 9104 or remove it to use the default
            {"http_port": 0}        | {file}: http_port must be a whole number from 1 to 65535, got 0; set it to e.g. 9104 or remove it to use the default
            {"http_port": 65536}    | {file}: http_port must be a whole number from 1 to 65535, got 65536; set it to e.g. 9104 or remove it to use the default
            {"http_port": true}     | {file}: http_port must be a whole number from 1 to 65535, got true; set it to e.g. 9104 or remove it to use the default
            {"http_port": "9104"}   | {file}: http_port must be a number, not a string, got "9104"; write it without quotes: 9104
            {"ws_port": -1}         | {file}: ws_port must be a whole number from 1 to 65535, got -1; set it to e.g. 9105 or remove it to use the default
            {"ws_port": 99999999999999999999} | {file}: ws_port must be a whole number from 1 to 65535, got 99999999999999999999; set it to e.g. 9105 or remove it to use the default
            {"bind_address": ""}    | {file}: bind_address must be a host name or IP address, got ""; set it to e.g. "0.0.0.0" or remove it to use the default
            {"storage": {"type": "mysql"}} | {file}: storage.type must be "memory", "sqlite" or "redis", got "mysql"; set it to e.g. "sqlite" or remove it to use the default
            {"storage": {"sqlite_path": 5}} | {file}: storage.sqlite_path must be a file system path, got 5; set it to e.g. "./testsync.db" or remove it to use the default
            {"logging": {"level": "verbose"}} | {file}: logging.level must be one of DEBUG, INFO, WARN, ERROR, got "verbose"; set it to e.g. "INFO" or remove it to use the default
            {"logging": "DEBUG"}    | {file}: logging must be a JSON object such as {"level": "INFO"}, got a string; put its keys inside { }
            {"sync_client": "user:secret"} | {file}: sync_client must be a JSON object such as {"username": "exampleUserName"}, got a string; put its keys inside { }
            {"checkpoint": {"release_lead_ms": -1}} | {file}: checkpoint.release_lead_ms must be a whole number of milliseconds, 0 or more, got -1; set it to e.g. 500 or remove it to use the default
            {"checkpoint": {"default_timeout_ms": -5}} | {file}: checkpoint.default_timeout_ms must be a whole number of milliseconds, 0 or more, got -5; set it to e.g. 600000 or remove it to use the default
            {"limits": {"max_runs": 0}} | {file}: limits.max_runs must be a whole number from 1 to 2147483647, got 0; set it to e.g. 10000 or remove it to use the default
            {"limits": {"max_data_bytes": -1}} | {file}: limits.max_data_bytes must be a whole number from 1 to 2147483647, got -1; set it to e.g. 10485760 or remove it to use the default
            {"limits": {"max_queued_bytes": 3000000000}} | {file}: limits.max_queued_bytes must be a whole number from 1 to 2147483647, got 3000000000; set it to e.g. 16777216 or remove it to use the default
            {"retention": {"max_idle": "0s"}} | {file}: retention.max_idle must be a duration above zero such as "500ms", "90s", "30m", "12h" or "2d", got "0s"; set it to e.g. "12h" or remove it to use the default
            {"retention": {"max_idle": "12 hours"}} | {file}: retention.max_idle must be a duration above zero such as "500ms", "90s", "30m", "12h" or "2d", got "12 hours"; set it to e.g. "12h" or remove it to use the default
            {"retention": {"sweep_interval": 60}} | {file}: retention.sweep_interval must be a duration above zero such as "500ms", "90s", "30m", "12h" or "2d", got 60; set it to e.g. "1h" or remove it to use the default
            {"cors": {"allowed_origins": "*"}} | {file}: cors.allowed_origins must be a list of origins such as ["https://ci.example.com"] or ["*"] (scheme://host[:port], no path), got "*"; set it to e.g. ["https://ci.example.com"] or remove it to use the default
            {"cors": {"allowed_origins": ["https://ci.example.com/"]}} | {file}: cors.allowed_origins must be a list of origins such as ["https://ci.example.com"] or ["*"] (scheme://host[:port], no path), got ["https://ci.example.com/"]; set it to e.g. ["https://ci.example.com"] or remove it to use the default
            {"sync_client": {"username": "agent"}} | {file}: sync_client.username is set but sync_client.password is not; set sync_client.password (or TESTSYNC_SYNC_CLIENT_PASSWORD) too, or neither to run without authentication (loopback clients only)
            {"sync_client": {"username": "", "password": "pw"}} | {file}: sync_client.password is set but sync_client.username is not; set sync_client.username (or TESTSYNC_SYNC_CLIENT_USERNAME) too, or neither to run without authentication (loopback clients only)
            {"http_port": 9104,}    | {file}: malformed JSON at line 1, column 20: Unexpected character ('}' (code 125)): was expecting double-quote to start field name; fix the JSON syntax there
            {"http_port": 9104      | {file}: malformed JSON at line 1, column 19: the file ends before the JSON is complete (a missing '}' or ']'?); fix the JSON syntax there
            {"http_port": 9104} {}  | {file}: malformed JSON at line 1, column 21: there is more text after the closing '}'; fix the JSON syntax there
            {"level": NaN}          | {file}: malformed JSON at line 1, column 14: Non-standard token 'NaN'; fix the JSON syntax there
            {"http_port": 1, "http_port": 2} | {file}: key 'http_port' appears twice (second time at line 1, column 29); keep only one of them
            `{"logging": {"level": "INFO",\n "level": "DEBUG"}}` | {file}: key 'logging.level' appears twice (second time at line 2, column 9); keep only one of them
            [9104]                  | {file}: the top level must be a JSON object such as {"http_port": 9104}, got an array; wrap the keys in { }
            `   `                   | {file}: the file is empty; write a JSON object such as {"http_port": 9104} or delete the file to use the defaults
            """)
    void fileErrorsNameFileKeyValueAndFix(String json, String expected) throws IOException {
        assertThat(fileError(json.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void aPasswordIsNeverEchoed() throws IOException {
        String message = fileError("{\"sync_client\": {\"username\": \"agent\", \"password\": 123456789}}");

        assertThat(message).isEqualTo("{file}: sync_client.password must be a string, got a number;"
                + " set it to e.g. \"examplePassWord\" or remove it to use the default");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            TESTSYNC_HTTP_PORT            | abc     | environment variable TESTSYNC_HTTP_PORT (http_port) must be a whole number from 1 to 65535, got "abc"; set e.g. TESTSYNC_HTTP_PORT=9104 or unset it
            TESTSYNC_WS_PORT              | 9104.5  | environment variable TESTSYNC_WS_PORT (ws_port) must be a whole number from 1 to 65535, got "9104.5"; set e.g. TESTSYNC_WS_PORT=9105 or unset it
            TESTSYNC_LIMITS_MAX_RUNS      | 0       | environment variable TESTSYNC_LIMITS_MAX_RUNS (limits.max_runs) must be a whole number from 1 to 2147483647, got "0"; set e.g. TESTSYNC_LIMITS_MAX_RUNS=10000 or unset it
            TESTSYNC_LOGGING_LEVEL        | loud    | environment variable TESTSYNC_LOGGING_LEVEL (logging.level) must be one of DEBUG, INFO, WARN, ERROR, got "loud"; set e.g. TESTSYNC_LOGGING_LEVEL=INFO or unset it
            TESTSYNC_STORAGE_TYPE         | mongo   | environment variable TESTSYNC_STORAGE_TYPE (storage.type) must be "memory", "sqlite" or "redis", got "mongo"; set e.g. TESTSYNC_STORAGE_TYPE=sqlite or unset it
            TESTSYNC_RETENTION_MAX_IDLE   | forever | environment variable TESTSYNC_RETENTION_MAX_IDLE (retention.max_idle) must be a duration above zero such as "500ms", "90s", "30m", "12h" or "2d", got "forever"; set e.g. TESTSYNC_RETENTION_MAX_IDLE=12h or unset it
            TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS | -1 | environment variable TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS (checkpoint.release_lead_ms) must be a whole number of milliseconds, 0 or more, got "-1"; set e.g. TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS=500 or unset it
            TESTSYNC_SYNC_CLIENT_USERNAME | agent   | environment variable TESTSYNC_SYNC_CLIENT_USERNAME (sync_client.username) is set but sync_client.password is not; set sync_client.password (or TESTSYNC_SYNC_CLIENT_PASSWORD) too, or neither to run without authentication (loopback clients only)
            """)
    void environmentErrorsNameTheVariableAndKey(String variable, String value, String expected) {
        assertThat(envError(Map.of(variable, value))).isEqualTo(expected);
    }

    @Test
    void controlCharactersInAVariableDoNotBreakTheLine() {
        assertThat(envError(Map.of("TESTSYNC_BIND_ADDRESS", "local host\nx")))
                .isEqualTo("environment variable TESTSYNC_BIND_ADDRESS (bind_address) must be a host name or IP address,"
                        + " got \"local host\\u000ax\"; set e.g. TESTSYNC_BIND_ADDRESS=0.0.0.0 or unset it");
    }

    @Test
    void environmentCannotRescueABadFile() throws IOException {
        Path file = Files.writeString(dir.resolve("configuration.json"), "{\"http_port\": \"abc\"");

        String message = message(() -> ConfigLoader.load(file.toString(), Map.of("TESTSYNC_HTTP_PORT", "9104"), dir));

        assertThat(message).startsWith(file + ": malformed JSON");
    }

    @Test
    void missingPathGivenWithFlag() {
        assertThat(message(() -> ConfigLoader.load("nope", Map.of(), dir)))
                .isEqualTo("-c " + dir.resolve("nope") + ": no such file or directory; pass the directory that holds"
                        + " configuration.json or the file itself");
    }

    @Test
    void directoryWithoutConfigurationJson() throws IOException {
        Files.createDirectories(dir.resolve("conf"));

        assertThat(message(() -> ConfigLoader.load("conf", Map.of(), dir)))
                .isEqualTo("-c " + dir.resolve("conf") + ": the directory has no configuration.json;"
                        + " create it there or pass the configuration file itself");
    }

    @Test
    void unreadableFile() throws IOException {
        // A directory where the file should be cannot be read by anyone, root included.
        Path file = Files.createDirectories(dir.resolve("config").resolve("configuration.json"));

        assertThat(message(() -> ConfigLoader.load(null, Map.of(), dir)))
                .isEqualTo(file + ": cannot read the configuration file (Is a directory);"
                        + " make it a readable file or pass another one with -c");
    }
}
