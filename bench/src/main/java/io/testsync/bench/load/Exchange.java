package io.testsync.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * One request/answer pattern of a closed loop over a WebSocket: what to send, and whether a frame
 * that arrived is the complete, correct answer. Implementations check the bytes, so a figure is
 * never made of error frames.
 */
public interface Exchange {

    /** Sends exchange {@code seq} of connection {@code conn}. */
    void send(WebSocket ws, int conn, long seq);

    /** What a text frame means for the exchange in progress. */
    Outcome onText(String text, int conn, long seq);

    /** What a binary frame means for the exchange in progress. */
    Outcome onBinary(Buffer data, int conn, long seq);

    enum Outcome {
        /** the answer arrived and is right: the exchange is over */
        DONE,
        /** part of the answer, or nothing to do with it: keep waiting */
        WAIT,
        /** a wrong answer: counted as an error; the loop goes on with the next exchange */
        WRONG
    }
}
