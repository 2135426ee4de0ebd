package io.testsync.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's version, as Maven wrote it into testsync-version.properties at build time. */
public final class Version {
    private static final String VALUE = read();

    private Version() {}

    /** The version, or "unknown" when the build left none. */
    public static String get() {
        return VALUE;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/testsync-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through: a missing version must not stop the server
        }
        return "unknown";
    }
}
