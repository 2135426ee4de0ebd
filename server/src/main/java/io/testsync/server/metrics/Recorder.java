package io.testsync.server.metrics;

/**
 * What the edges count, without knowing the metrics library: the router and the WebSocket commands
 * call these on every request and frame, so implementations must be cheap and never block.
 */
public interface Recorder {

    /** One HTTP exchange of the route ended with this status (101 for an accepted WebSocket upgrade). */
    void httpRequest(HttpRoute route, int status);

    /**
     * The counter of agent frames executed (or refused) under this {@code command} label. Asked once
     * per label when a listener starts; counting is then a call, with no lookup on the hot path.
     * Labels come from the command registry (a closed set), never from what an agent sent.
     */
    Runnable wsCommand(String label);

    /** Counts nothing: for code and tests that run without metrics. */
    Recorder NONE = new Recorder() {
        @Override
        public void httpRequest(HttpRoute route, int status) {
        }

        @Override
        public Runnable wsCommand(String label) {
            return () -> { };
        }
    };
}
