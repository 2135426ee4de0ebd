package io.testsync.client;

/** What the close codes TestSync servers send mean, for messages (PROTOCOL.md, "Closing and close codes"). */
final class CloseCodes {
    private CloseCodes() {
    }

    static String describe(int code, String reason) {
        String meaning = switch (code) {
            case 1000 -> "normal closure";
            case 1001 -> "no pong for 30 s: keep the client reading";
            case 1002 -> "WebSocket protocol violation";
            case 1006 -> "closed without a close frame";
            case 1007 -> "a text frame was not valid UTF-8";
            case 1008 -> "this client stopped reading";
            case 1009 -> "a message larger than the server's data limit";
            case 1011 -> "server error";
            case 1012 -> "the server is shutting down or restarting";
            case 4001 -> "removed by the operator";
            default -> "unexpected";
        };
        return reason == null || reason.isEmpty() ? meaning : meaning + ": " + reason;
    }
}
