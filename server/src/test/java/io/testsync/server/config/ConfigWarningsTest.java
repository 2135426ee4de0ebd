package io.testsync.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typo in a key must not pass silently (SPEC §1), but it does not stop the server either. */
class ConfigWarningsTest {

    @TempDir
    Path dir;

    private ConfigLoader.Loaded load(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("configuration.json"), json);
        return ConfigLoader.load(file.toString(), Map.of(), dir);
    }

    @Test
    void unknownKeyIsNamedWithItsFileAndTheKeyItWasProbablyMeantToBe() throws Exception {
        ConfigLoader.Loaded loaded = load("{\"http_prot\": 9200, \"ws_port\": 9201}");

        assertThat(loaded.warnings()).containsExactly(dir.resolve("configuration.json")
                + ": unknown key 'http_prot' is ignored; did you mean 'http_port'?");
        assertThat(loaded.config().httpPort()).isEqualTo(9104);
        assertThat(loaded.config().wsPort()).isEqualTo(9201);
    }

    @Test
    void unknownChildOfAKnownObjectIsNamedByItsFullPath() throws Exception {
        ConfigLoader.Loaded loaded = load("{\"logging\": {\"levle\": \"DEBUG\"}, \"limits\": {\"max_run\": 5}}");

        assertThat(loaded.warnings()).containsExactly(
                dir.resolve("configuration.json") + ": unknown key 'logging.levle' is ignored; did you mean 'logging.level'?",
                dir.resolve("configuration.json") + ": unknown key 'limits.max_run' is ignored; did you mean 'limits.max_runs'?");
    }

    @Test
    void suggestionsCatchOtherSpellingsAndMisplacedKeys() {
        assertThat(ConfigKey.suggest("httpPort")).contains("http_port");
        assertThat(ConfigKey.suggest("HTTP_PORT")).contains("http_port");
        assertThat(ConfigKey.suggest("level")).contains("logging.level");
        assertThat(ConfigKey.suggest("sqlite_path")).contains("storage.sqlite_path");
        assertThat(ConfigKey.suggest("synch_client")).contains("sync_client");
        assertThat(ConfigKey.suggest("retention.max_idel")).contains("retention.max_idle");
    }

    @Test
    void noSuggestionWhenNothingIsClose() throws Exception {
        ConfigLoader.Loaded loaded = load("{\"metrics\": {\"enabled\": true}}");

        assertThat(loaded.warnings()).containsExactly(dir.resolve("configuration.json")
                + ": unknown key 'metrics' is ignored; see the configuration keys in README.md");
    }
}
