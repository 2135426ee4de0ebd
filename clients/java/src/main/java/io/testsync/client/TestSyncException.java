package io.testsync.client;

/**
 * A TestSync call that did not succeed, with a stable {@link #code()} to branch on: the server's
 * error codes ({@code invalid_argument}, {@code limit_reached}, …, SPEC §3) or one of this client's
 * own (the constants below). The message is for a person and may change.
 */
public class TestSyncException extends RuntimeException {
    /** The server answered a command with an error it did not document (should not happen). */
    public static final String UNKNOWN = "unknown";
    /**
     * Connecting failed: the upgrade was refused ({@link #httpStatus()} 400, 401, 403, 503), the server
     * could not be reached, or did not finish the handshake and welcome in time (status 0).
     */
    public static final String CONNECT_FAILED = "connect_failed";
    /** The connection ended while the call was pending, or before it was made ({@link ConnectionLostException}). */
    public static final String CONNECTION_LOST = "connection_lost";
    /** The client was closed by {@link TestSyncClient#close()}. */
    public static final String CLOSED = "closed";
    /** The server did not answer within {@link Options#requestTimeout(java.time.Duration)}. */
    public static final String TIMEOUT = "timeout";
    /** A checkpoint was released with {@code finished:false} ({@link CheckpointFailedException}). */
    public static final String CHECKPOINT_FAILED = "checkpoint_failed";
    /** A lock was not granted before its timeout. */
    public static final String LOCK_TIMEOUT = "lock_timeout";
    /** The thread waiting for an answer was interrupted; the command may still take effect on the server. */
    public static final String INTERRUPTED = "interrupted";
    /** The server did not select {@code testsync.v1} (it speaks only the original protocol), or sent a frame this client cannot read. */
    public static final String PROTOCOL_ERROR = "protocol_error";

    private final String code;
    private final String command;
    private final int httpStatus;

    public TestSyncException(String code, String command, String message) {
        this(code, command, message, 0, null);
    }

    public TestSyncException(String code, String command, String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.command = command == null ? "" : command;
        this.httpStatus = httpStatus;
    }

    /** The stable code: the server's ({@code invalid_argument}, …) or one of this class's constants. */
    public String code() {
        return code;
    }

    /** The protocol command that failed ({@code "wait_checkpoint"}, …), or {@code ""} when none applies. */
    public String command() {
        return command;
    }

    /** For {@link #CONNECT_FAILED}: the HTTP status of a refused upgrade (400, 401, 403, 503); else 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
