package io.testsync.server.ws;

/** The stable error codes of SPEC §3, safe for clients to branch on. */
public enum ErrorCode {
    INVALID_MESSAGE, UNKNOWN_COMMAND, INVALID_ARGUMENT, PAYLOAD_TOO_LARGE, LIMIT_REACHED, INTERNAL_ERROR;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
