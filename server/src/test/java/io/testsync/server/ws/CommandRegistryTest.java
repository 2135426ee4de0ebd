package io.testsync.server.ws;

import io.testsync.server.config.Config;
import io.testsync.server.store.MemoryStore;
import io.testsync.server.ws.commands.AllCommands;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry is the one list of commands: lookups are exact, labels a closed set, PROTOCOL.md lists the same. */
class CommandRegistryTest {
    final CommandRegistry registry = AllCommands.registry(new MemoryStore(), Config.defaults());

    @Test
    void commandNamesMapToTheClosedSet() {
        for (String name : List.of("read_data", "update_data", "get_connection_count", "wait_checkpoint", "close")) {
            assertThat(registry.find(name)).as(name).isNotNull().extracting(Command::name).isEqualTo(name);
        }
        assertThat(registry.find("READ_DATA")).isNull();
        assertThat(registry.find("")).isNull();
        assertThat(registry.metricLabels()).endsWith("unknown", "invalid").containsAll(registry.names());
    }

    @Test
    void theHelpTextNamesEveryCommandInOrder() {
        assertThat(registry.help()).isEqualTo("commands are " + String.join(", ", registry.names()));
    }

    @Test
    void protocolMdListsExactlyTheRegisteredCommands() throws IOException {
        String doc = Files.readString(Path.of("..", "PROTOCOL.md"));
        int start = doc.indexOf("<!-- commands -->");
        int end = doc.indexOf("<!-- /commands -->");
        assertThat(start).as("PROTOCOL.md marks its command table with <!-- commands -->").isNotNegative();
        Matcher row = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE).matcher(doc.substring(start, end));
        List<String> listed = new ArrayList<>();
        while (row.find()) listed.add(row.group(1));
        assertThat(listed).containsExactlyElementsOf(registry.names());
    }
}
