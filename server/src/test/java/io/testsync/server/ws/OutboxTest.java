package io.testsync.server.ws;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    @Test
    void commandsWaitAboveTheResumeMarkAndTheLargestReplyStillFitsUnderTheMaximum() {
        Outbox box = new Outbox(16, 10); // resume mark 6
        assertThat(box.admit(6)).isTrue();
        assertThat(box.backlogged()).isFalse(); // 6: the next command may run; its reply (<= 10) fits
        assertThat(box.admit(10)).isTrue();
        assertThat(box.queued()).isEqualTo(16);
        assertThat(box.backlogged()).isTrue();
        box.written(10);
        assertThat(box.backlogged()).isFalse();
    }

    @Test
    void aFrameThatWouldPassTheMaximumIsRefusedAndNotCounted() {
        Outbox box = new Outbox(16, 10);
        assertThat(box.admit(12)).isTrue();
        assertThat(box.admit(5)).isFalse();
        assertThat(box.queued()).isEqualTo(12);
    }

    @Test
    void aLoneFrameLargerThanTheMaximumIsAdmittedWhenNothingWaits() {
        Outbox box = new Outbox(4, 10); // a maximum below the largest reply: one reply at a time
        assertThat(box.admit(10)).isTrue();
        assertThat(box.backlogged()).isTrue();
        box.written(10);
        assertThat(box.backlogged()).isFalse();
    }

    @Test
    void utf8LengthCountsBytesAsTheEncoderWrites() {
        for (String s : new String[]{"", "ascii", "é", "✓", "😀", "a😀é✓z", "{\"identifier\":\"ünïcødé 🚀\"}"}) {
            assertThat(Outbox.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
