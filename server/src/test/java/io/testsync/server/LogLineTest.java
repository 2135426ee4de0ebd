package io.testsync.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The log line's exact bytes: the format operators grep for did not change with the encoder. */
class LogLineTest {
    private static final LoggerContext CONTEXT = new LoggerContext();

    private static String line(ZoneId zone, Level level, String message, Throwable thrown, Object... args) {
        LoggingEvent event = new LoggingEvent("x", CONTEXT.getLogger("io.testsync.server.ws.Closer"), level, message, thrown, args);
        event.setThreadName("vert.x-eventloop-thread-1");
        event.setTimeStamp(1_796_166_062_902L); // 2026-12-01T23:01:02.902Z
        return new String(new LogLine(zone).encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void timeWithOffsetLevelPaddedToFiveThreadShortLoggerNameMessage() {
        assertThat(line(ZoneId.of("UTC"), Level.WARN, "closing {} with {}", null, "c-1", 1008))
                .isEqualTo("2026-12-01T23:01:02.902+00:00 WARN  [vert.x-eventloop-thread-1] Closer - closing c-1 with 1008\n");
        assertThat(line(ZoneId.of("UTC"), Level.ERROR, "x", null))
                .isEqualTo("2026-12-01T23:01:02.902+00:00 ERROR [vert.x-eventloop-thread-1] Closer - x\n");
    }

    @Test
    void theOffsetIsTheZonesAtThatInstant() {
        assertThat(line(ZoneId.of("America/St_Johns"), Level.INFO, "m", null))
                .startsWith("2026-12-01T19:31:02.902-03:30 INFO  [");
        assertThat(line(ZoneId.of("Asia/Kolkata"), Level.INFO, "m", null))
                .startsWith("2026-12-02T04:31:02.902+05:30 INFO  [");
    }

    @Test
    void aThrowableFollowsTheMessageAsAStackTrace() {
        String text = line(ZoneId.of("UTC"), Level.DEBUG, "startup failed", new IllegalStateException("boom"));
        assertThat(text).startsWith("2026-12-01T23:01:02.902+00:00 DEBUG [vert.x-eventloop-thread-1] Closer - startup failed\n"
                + "java.lang.IllegalStateException: boom\n\tat ");
        assertThat(text).endsWith("\n");
    }
}
