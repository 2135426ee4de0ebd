package io.testsync.server.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one connection's data frames into whole messages (RFC 6455 §5.4), instead of Vert.x's own
 * aggregator, which lets fragments over its size limit pass with only an exception, and decodes
 * invalid UTF-8 into replacement characters. Here a message over the limit is refused with
 * {@code 1009} as soon as its fragments pass it (before they are kept), and a text message that is
 * not valid UTF-8 with {@code 1007}. Control frames (ping, pong, close) are Vert.x's business.
 * Used on its connection's event loop only.
 */
final class MessageAssembler {
    static final int INVALID_PAYLOAD = 1007;
    static final int PROTOCOL_ERROR = 1002;
    static final int MESSAGE_TOO_BIG = 1009;

    /** Where whole messages, and the reason to close, go. */
    interface Sink {
        void text(String message);

        void binary(int length);

        /** The connection must be closed with {@code code}; nothing more of it is assembled. */
        void refuse(int code, String reason);
    }

    private final int maxMessageBytes;
    private final Sink sink;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Fragments of the message being assembled; null when none is under way. */
    private List<Buffer> fragments;
    private boolean fragmentedText;
    private long fragmentBytes;
    private boolean refused;

    MessageAssembler(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    void frame(WebSocketFrame frame) {
        if (refused) return;
        if (frame.isText() || frame.isBinary()) {
            if (fragments != null) {
                // Netty's decoder refuses this first; kept so this class is right on its own
                refuse(PROTOCOL_ERROR, "a new message started before the fragmented one ended");
                return;
            }
            if (frame.isFinal()) {
                deliver(frame.isText(), frame.binaryData());
            } else {
                fragments = new ArrayList<>();
                fragmentedText = frame.isText();
                fragmentBytes = 0;
                append(frame.binaryData());
            }
        } else if (frame.isContinuation()) {
            if (fragments == null) {
                refuse(PROTOCOL_ERROR, "continuation frame without a message to continue");
                return;
            }
            if (!append(frame.binaryData())) return;
            if (frame.isFinal()) {
                List<Buffer> parts = fragments;
                fragments = null;
                Buffer whole = Buffer.buffer((int) fragmentBytes);
                for (Buffer part : parts) whole.appendBuffer(part);
                deliver(fragmentedText, whole);
            }
        }
    }

    private boolean append(Buffer part) {
        fragmentBytes += part.length();
        if (fragmentBytes > maxMessageBytes) {
            fragments = null;
            refuse(MESSAGE_TOO_BIG, "message is over " + maxMessageBytes + " bytes (limits.max_data_bytes plus the envelope)");
            return false;
        }
        fragments.add(part);
        return true;
    }

    private void deliver(boolean text, Buffer payload) {
        if (payload.length() > maxMessageBytes) { // one frame: Netty's frame limit normally refuses it first
            refuse(MESSAGE_TOO_BIG, "message is over " + maxMessageBytes + " bytes (limits.max_data_bytes plus the envelope)");
            return;
        }
        if (!text) {
            sink.binary(payload.length());
            return;
        }
        String message;
        try {
            message = utf8.reset().decode(ByteBuffer.wrap(payload.getBytes())).toString();
        } catch (CharacterCodingException e) {
            refuse(INVALID_PAYLOAD, "text frame is not valid UTF-8");
            return;
        }
        sink.text(message);
    }

    private void refuse(int code, String reason) {
        refused = true;
        fragments = null;
        sink.refuse(code, reason);
    }
}
