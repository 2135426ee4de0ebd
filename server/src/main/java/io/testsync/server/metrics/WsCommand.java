package io.testsync.server.metrics;

/**
 * The {@code command} label of the WebSocket command counter: the protocol's commands, plus
 * {@link #UNKNOWN} for any other name and {@link #INVALID} for a frame that is not an envelope.
 * The agent's own command name never becomes a label value.
 */
public enum WsCommand {
    READ_DATA("read_data"),
    UPDATE_DATA("update_data"),
    GET_CONNECTION_COUNT("get_connection_count"),
    WAIT_CHECKPOINT("wait_checkpoint"),
    CLOSE("close"),
    UNKNOWN("unknown"),
    INVALID("invalid");

    private final String label;

    WsCommand(String label) {
        this.label = label;
    }

    /** The label value, as it appears in {@code /metrics}. */
    public String label() {
        return label;
    }

    /** The label for a parsed envelope's command name: a switch, no map lookup. */
    public static WsCommand of(String command) {
        return switch (command) {
            case "read_data" -> READ_DATA;
            case "update_data" -> UPDATE_DATA;
            case "get_connection_count" -> GET_CONNECTION_COUNT;
            case "wait_checkpoint" -> WAIT_CHECKPOINT;
            case "close" -> CLOSE;
            default -> UNKNOWN;
        };
    }
}
