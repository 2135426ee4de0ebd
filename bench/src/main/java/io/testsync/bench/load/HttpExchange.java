package io.testsync.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * A fixed sequence of HTTP requests that a chain repeats (e.g. POST then GET), and how to tell a
 * right answer from a wrong one.
 */
public interface HttpExchange {

    /** Requests per repetition of the sequence. */
    int steps();

    HttpMethod method(int step);

    String uri(int chain, long seq, int step);

    /** The body to send, or null for none. */
    Buffer body(int chain, long seq, int step);

    /** True when the answer to this step is the right one. */
    boolean check(int status, Buffer body, int chain, long seq, int step);
}
