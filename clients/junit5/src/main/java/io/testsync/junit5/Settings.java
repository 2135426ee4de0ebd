package io.testsync.junit5;

import io.testsync.client.Options;

import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * Where the extension connects and as whom, resolved once per test class: an environment variable
 * wins over the annotation's attribute (as {@code TESTSYNC_*} variables win over the server's own
 * configuration file), and an in-process server wins over both for URL and credentials.
 *
 * @param url     the server's base URI
 * @param runId   the run
 * @param user    credentials, both null for none
 * @param agent   the agent name, or null to let the server choose
 * @param origin  where the URL came from, for error messages
 */
record Settings(URI url, String runId, String user, String password, String agent, String origin) {
    static final String DEFAULT_URL = "ws://localhost:9105";

    /** The in-process server's coordinates, when {@link TestSyncServer} started one. */
    record Local(URI url, String user, String password) {
    }

    static Settings resolve(TestSync annotation, Local local, String defaultRunId, UnaryOperator<String> env) {
        String url;
        String origin;
        if (local != null) {
            url = local.url().toString();
            origin = "the in-process @TestSyncServer";
        } else if (set(env.apply("TESTSYNC_URL"))) {
            url = env.apply("TESTSYNC_URL");
            origin = "TESTSYNC_URL";
        } else if (annotation != null && set(annotation.url())) {
            url = annotation.url();
            origin = "@TestSync(url)";
        } else {
            url = DEFAULT_URL;
            origin = "the default; set TESTSYNC_URL or @TestSync(url = ...)";
        }
        String runId = pick(env, "TESTSYNC_RUN_ID", annotation == null ? "" : annotation.runId());
        if (runId == null) runId = defaultRunId;
        if (runId == null) {
            throw new IllegalArgumentException("no run ID: set TESTSYNC_RUN_ID (the same for every agent of the run)"
                    + " or @TestSync(runId = \"...\")");
        }
        String user;
        String password;
        if (local != null) {
            user = local.user();
            password = local.password();
        } else {
            user = pick(env, "TESTSYNC_USER", annotation == null ? "" : annotation.user());
            password = pick(env, "TESTSYNC_PASS", annotation == null ? "" : annotation.password());
            if ((user == null) != (password == null)) {
                throw new IllegalArgumentException(user == null
                        ? "a password is set (TESTSYNC_PASS or @TestSync(password)) but no user: set TESTSYNC_USER or @TestSync(user)"
                        : "a user is set (TESTSYNC_USER or @TestSync(user)) but no password: set TESTSYNC_PASS or @TestSync(password)");
            }
        }
        String agent = pick(env, "TESTSYNC_AGENT", annotation == null ? "" : annotation.agent());
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the TestSync URL \"" + url + "\" (from " + origin + ") is not a URI: " + e.getMessage());
        }
        return new Settings(uri, runId, user, password, agent, origin);
    }

    Options options() {
        Options o = user == null ? Options.none() : Options.credentials(user, password);
        return agent == null ? o : o.agent(agent);
    }

    private static String pick(UnaryOperator<String> env, String variable, String attribute) {
        String fromEnv = env.apply(variable);
        if (set(fromEnv)) return fromEnv;
        return set(attribute) ? attribute : null;
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }
}
