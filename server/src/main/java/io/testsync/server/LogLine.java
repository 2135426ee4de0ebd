package io.testsync.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One log line: {@code 2026-12-01T23:01:02.902+00:00 INFO  [thread] Logger - message}, then the stack
 * trace when there is one. Written by hand rather than by a PatternLayout, whose parser and
 * converters are about a hundred classes to load before the first line (startup time, issue 8).
 */
final class LogLine extends EncoderBase<ILoggingEvent> {
    private static final byte[] NONE = new byte[0];
    private final ZoneId zone;

    LogLine() {
        this(ZoneId.systemDefault());
    }

    LogLine(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        time(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) line.append(' ');
        line.append(" [").append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        line.append(" - ").append(event.getFormattedMessage()).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS} and the offset as {@code +hh:mm}, in the JVM's time zone. */
    void time(StringBuilder out, long epochMillis) {
        Instant instant = Instant.ofEpochMilli(epochMillis);
        ZoneOffset offset = zone.getRules().getOffset(instant);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, offset);
        digits(out, t.getYear(), 4).append('-');
        digits(out, t.getMonthValue(), 2).append('-');
        digits(out, t.getDayOfMonth(), 2).append('T');
        digits(out, t.getHour(), 2).append(':');
        digits(out, t.getMinute(), 2).append(':');
        digits(out, t.getSecond(), 2).append('.');
        digits(out, (int) Math.floorMod(epochMillis, 1000L), 3);
        int seconds = offset.getTotalSeconds();
        out.append(seconds < 0 ? '-' : '+');
        seconds = Math.abs(seconds);
        digits(out, seconds / 3600, 2).append(':');
        digits(out, seconds / 60 % 60, 2);
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) out.append('0');
        return out.append(text);
    }
}
