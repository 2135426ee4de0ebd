package io.testsync.junit5;

import io.testsync.server.TestSyncServer;
import io.testsync.server.config.Config;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one class that touches the server's types, so that a project using only {@link TestSync}
 * needs no server on its classpath: loaded only for {@link io.testsync.junit5.TestSyncServer}.
 */
final class InProcessServer implements AutoCloseable {
    static final String SERVER_CLASS = "io.testsync.server.TestSyncServer";
    private static final String USER = "junit";

    private final TestSyncServer server;
    private final Settings.Local local;

    private InProcessServer(TestSyncServer server, Settings.Local local) {
        this.server = server;
        this.local = local;
    }

    /** A server on a free loopback port, with fresh credentials and memory storage. */
    static InProcessServer start(long releaseLeadMs) throws Exception {
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Config d = Config.defaults();
        Config.Checkpoint checkpoint = releaseLeadMs < 0 ? d.checkpoint()
                : new Config.Checkpoint(releaseLeadMs, d.checkpoint().defaultTimeoutMs());
        Config config = new Config(0, 0, "127.0.0.1", d.logLevel(), d.logDir(), new Config.Credentials(USER, password),
                d.storage(), checkpoint, d.corsAllowedOrigins(), d.limits(), d.retention(), d.toolkit());
        TestSyncServer server = TestSyncServer.start(config);
        return new InProcessServer(server, new Settings.Local(URI.create("ws://127.0.0.1:" + server.wsPort()), USER, password));
    }

    Settings.Local local() {
        return local;
    }

    /** The HTTP API's base URI. */
    URI http() {
        return URI.create("http://127.0.0.1:" + server.httpPort());
    }

    @Override
    public void close() {
        server.stop();
    }
}
