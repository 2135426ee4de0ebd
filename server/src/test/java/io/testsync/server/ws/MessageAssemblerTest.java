package io.testsync.server.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageAssemblerTest {
    final List<String> out = new ArrayList<>();
    final MessageAssembler assembler = new MessageAssembler(10, new MessageAssembler.Sink() {
        @Override
        public void text(String message) {
            out.add("text:" + message);
        }

        @Override
        public void binary(int length) {
            out.add("binary:" + length);
        }

        @Override
        public void refuse(int code, String reason) {
            out.add("refuse:" + code);
        }
    });

    /** A frame with exactly these bytes (Vert.x's own factories only make text frames from valid strings). */
    record Frame(WebSocketFrameType type, byte[] bytes, boolean isFinal) implements WebSocketFrame {
        static Frame of(WebSocketFrameType type, String text, boolean fin) {
            return new Frame(type, text.getBytes(StandardCharsets.UTF_8), fin);
        }

        public boolean isText() { return type == WebSocketFrameType.TEXT; }
        public boolean isBinary() { return type == WebSocketFrameType.BINARY; }
        public boolean isContinuation() { return type == WebSocketFrameType.CONTINUATION; }
        public boolean isClose() { return type == WebSocketFrameType.CLOSE; }
        public boolean isPing() { return type == WebSocketFrameType.PING; }
        public String textData() { return new String(bytes, StandardCharsets.UTF_8); }
        public Buffer binaryData() { return Buffer.buffer(bytes); }
        public short closeStatusCode() { return 0; }
        public String closeReason() { return null; }
    }

    @Test
    void wholeAndFragmentedMessagesAreDeliveredWhole() {
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "abc", true));
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        assembler.frame(new Frame(WebSocketFrameType.TEXT, new byte[]{'x', e[0]}, false)); // cut inside é
        assembler.frame(new Frame(WebSocketFrameType.PING, new byte[0], true));          // control frames pass by
        assembler.frame(new Frame(WebSocketFrameType.CONTINUATION, new byte[]{e[1], 'y'}, true));
        assembler.frame(new Frame(WebSocketFrameType.BINARY, new byte[3], false));
        assembler.frame(new Frame(WebSocketFrameType.CONTINUATION, new byte[4], true));
        assertThat(out).containsExactly("text:abc", "text:xéy", "binary:7");
    }

    @Test
    void aMessageAtTheLimitPassesAndOneByteMoreIsRefusedWith1009() {
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "12345", false));
        assembler.frame(Frame.of(WebSocketFrameType.CONTINUATION, "67890", true));
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "12345", false));
        assembler.frame(Frame.of(WebSocketFrameType.CONTINUATION, "67890", false));
        assembler.frame(Frame.of(WebSocketFrameType.CONTINUATION, "!", true));
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "after", true)); // nothing more once refused
        assertThat(out).containsExactly("text:1234567890", "refuse:1009");
    }

    @Test
    void invalidUtf8IsRefusedWith1007() {
        assembler.frame(new Frame(WebSocketFrameType.TEXT, new byte[]{'"', (byte) 0xC3, 0x28, '"'}, true));
        assertThat(out).containsExactly("refuse:1007");
    }

    @Test
    void outOfOrderFragmentsAreRefusedWith1002() {
        assembler.frame(Frame.of(WebSocketFrameType.CONTINUATION, "x", true));
        assertThat(out).containsExactly("refuse:1002");
    }

    @Test
    void aNewMessageInsideAFragmentedOneIsRefusedWith1002() {
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "a", false));
        assembler.frame(Frame.of(WebSocketFrameType.TEXT, "b", true));
        assertThat(out).containsExactly("refuse:1002");
    }
}
