package io.testsync.faults;

import io.testsync.testkit.Credentials;
import io.testsync.testkit.ServerJar;

import java.nio.file.Path;
import java.util.Map;

/** The fault suite's server: the built jar, as a user runs it, with the suite's credentials and INFO logging. */
final class FaultServer {
    static final Credentials CREDENTIALS = new Credentials("fault", "f4ult-pa55");

    private FaultServer() {
    }

    /** Starts the jar in {@code dir} (its working directory, so no stray ./config is read) and waits until /health answers. */
    static ServerJar start(Path dir, Map<String, String> env) {
        return ServerJar.fromJar().credentials(CREDENTIALS).env("TESTSYNC_LOGGING_LEVEL", "INFO").env(env).start(dir);
    }
}
