package io.testsync.server.ws;

import io.testsync.server.runs.Membership;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One agent's connection as a {@link Command} sees it: its run, a way to answer, a way to close.
 * Every method is called on the connection's own event loop.
 */
public interface Connection {

    /** The run this connection belongs to (the {@code {testID}} of its path). */
    String testId();

    /** The connection's place in its run's coordination. */
    Membership run();

    /** True when the agent negotiated {@code testsync.v1} (SPEC §9.2): every command then gets one reply. */
    boolean v1();

    /** Sends one text frame (bounded: a client that does not read is closed, SPEC §7). */
    void sendText(String frame);

    /** Sends one binary frame. */
    void sendBinary(byte[] bytes);

    /** Answers {@code e} with {@code {"command":<e's>,"id":<e's>,"content":<content>}}; content is JSON text. */
    default void reply(Envelope e, String content) {
        sendText(Frames.reply(e.command(), e.id(), content));
    }

    /** Answers {@code e} with an error frame carrying the stable code. */
    default void error(Envelope e, ErrorCode code, String message) {
        sendText(Frames.error(e.id(), code.wire(), e.command(), message));
    }

    /** Closes with {@code code}; replies sent before go out first. */
    void close(int code, String reason);

    /**
     * Runs {@code action} on this connection's event loop once {@code result} completes. Returns null
     * when it already ran (the result was ready), else a future completed after it ran: a command
     * returns it so the connection's next command waits for it (SPEC §3 order).
     */
    <T> CompletableFuture<Void> then(CompletionStage<T> result, BiConsumer<T, Throwable> action);
}
