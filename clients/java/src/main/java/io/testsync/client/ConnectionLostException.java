package io.testsync.client;

/**
 * The WebSocket ended while a call was pending or before it was made: every pending call fails with
 * this at once. The client never reconnects by itself (a barrier must not be silently re-joined);
 * call {@link TestSyncClient#reconnect()} to go on.
 */
public class ConnectionLostException extends TestSyncException {
    private final int closeCode;
    private final String closeReason;

    public ConnectionLostException(String code, String command, String message, int closeCode, String closeReason, Throwable cause) {
        super(code, command, message, 0, cause);
        this.closeCode = closeCode;
        this.closeReason = closeReason == null ? "" : closeReason;
    }

    /** The WebSocket close code the server sent (1012 restart, 1001 no pong, 4001 removed, …); -1 when the connection broke without one. */
    public int closeCode() {
        return closeCode;
    }

    /** The close frame's reason text; empty when there was none. */
    public String closeReason() {
        return closeReason;
    }

    /** The same failure, for another call that was pending on the same connection. */
    ConnectionLostException forCommand(String otherCommand) {
        return new ConnectionLostException(code(), otherCommand, getMessage(), closeCode, closeReason, getCause());
    }
}
