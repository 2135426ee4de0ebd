package io.testsync.e2e;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions and payloads into the short phrases failure messages are made of. */
final class Problems {

    private static final int PREVIEW_CHARS = 300;

    private Problems() {
    }

    /** One phrase for an exception, without a stack trace: what a person needs to fix their setup. */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host" + (c.getMessage() == null ? "" : " " + c.getMessage());
            }
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                // The JDK client leaves the message empty for a refused connection.
                return c.getMessage() == null || c.getMessage().isBlank()
                        ? "could not connect (connection refused: is the server running there?)"
                        : "could not connect: " + c.getMessage();
            }
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null && cause != e) {
            return describe(cause);
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Strips the wrappers futures put around the exception that matters. */
    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A payload for a message: quoted text when it is UTF-8, else its size; cut after a few hundred characters. */
    static String preview(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return bytes.length + " bytes " + preview(text);
        } catch (CharacterCodingException e) {
            return bytes.length + " bytes (not UTF-8)";
        }
    }

    /** Text for a message, cut after a few hundred characters, line breaks made visible. */
    static String preview(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        if (oneLine.length() > PREVIEW_CHARS) {
            return "'" + oneLine.substring(0, PREVIEW_CHARS) + "'... (" + text.length() + " chars)";
        }
        return "'" + oneLine + "'";
    }
}
