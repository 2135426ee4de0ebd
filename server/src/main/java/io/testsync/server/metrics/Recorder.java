package io.testsync.server.metrics;

/**
 * What the edges count, without knowing the metrics library: the router and the WebSocket commands
 * call these on every request and frame, so implementations must be cheap and never block.
 */
public interface Recorder {

    /** One HTTP exchange of the route ended with this status (101 for an accepted WebSocket upgrade). */
    void httpRequest(HttpRoute route, int status);

    /** One agent frame was executed (or refused) as this command. */
    void wsCommand(WsCommand command);

    /** Counts nothing: for code and tests that run without metrics. */
    Recorder NONE = new Recorder() {
        @Override
        public void httpRequest(HttpRoute route, int status) {
        }

        @Override
        public void wsCommand(WsCommand command) {
        }
    };
}
