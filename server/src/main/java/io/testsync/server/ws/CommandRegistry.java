package io.testsync.server.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The protocol's commands by name, in the order PROTOCOL.md and the unknown-command help list them. */
public final class CommandRegistry {
    private final Map<String, Command> byName;
    private final List<String> names;
    private final String help;

    public CommandRegistry(List<Command> commands) {
        Map<String, Command> map = new LinkedHashMap<>();
        for (Command c : commands) {
            if (map.put(c.name(), c) != null) throw new IllegalArgumentException("command " + c.name() + " registered twice");
        }
        this.byName = Collections.unmodifiableMap(new HashMap<>(map));
        this.names = List.copyOf(map.keySet());
        this.help = "commands are " + String.join(", ", names);
    }

    /** The command of that exact name, or null. */
    public Command find(String name) {
        return byName.get(name);
    }

    /** Every name, in registration order. */
    public List<String> names() {
        return names;
    }

    /** "commands are a, b, c": the tail of the unknown-command error. */
    public String help() {
        return help;
    }

    /** Labels of the command counter: every name, then {@code unknown} and {@code invalid}, a closed set. */
    public List<String> metricLabels() {
        List<String> labels = new ArrayList<>(names);
        labels.add(Dispatcher.UNKNOWN);
        labels.add(Dispatcher.INVALID);
        return labels;
    }
}
