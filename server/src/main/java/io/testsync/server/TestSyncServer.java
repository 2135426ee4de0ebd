package io.testsync.server;

import io.testsync.server.config.Config;
import io.testsync.server.config.ConfigException;

/** Wires store, runs, HTTP and WebSocket listeners; start and graceful stop. */
public final class TestSyncServer {

    /**
     * Opens storage and binds the listeners; returns once they accept connections.
     *
     * @throws ConfigException when the server cannot run with this configuration (port in use,
     *                         unusable database file); its message is one line for stderr
     */
    public static TestSyncServer start(Config config) throws ConfigException {
        throw new IllegalStateException("wired in by the core commit");
    }

    /** The bound HTTP port (the real one when the configuration asked for 0). */
    public int httpPort() {
        throw new IllegalStateException();
    }

    /** The bound WebSocket port. */
    public int wsPort() {
        throw new IllegalStateException();
    }

    /** Stops accepting, closes every WebSocket with 1012, flushes and closes storage. Idempotent. */
    public void stop() {
    }
}
