package io.testsync.junit5;

import io.testsync.client.Options;
import io.testsync.client.TestSyncClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The run a {@link TestSync} class takes part in: the injected client, where it connects and as
 * whom, and a way to connect more agents of the same run (closed after the class too), so one test
 * can play a whole synchronized scenario. Inject it like the client: a field or parameter of this type.
 */
public final class TestSyncRun {
    private final Settings settings;
    private final URI http;
    private final TestSyncClient client;
    private final List<TestSyncClient> more = new ArrayList<>();

    TestSyncRun(Settings settings, URI http, TestSyncClient client) {
        this.settings = settings;
        this.http = http;
        this.client = client;
    }

    /** The client injected into the class. */
    public TestSyncClient client() {
        return client;
    }

    /** The server's base WebSocket URI. */
    public URI serverUri() {
        return settings.url();
    }

    /** The in-process server's HTTP API base ({@code http://127.0.0.1:<port>}), or null without {@link TestSyncServer}. */
    public URI httpUri() {
        return http;
    }

    /** The run ID. */
    public String runId() {
        return settings.runId();
    }

    /** The options the injected client connected with (credentials, agent name). */
    public Options options() {
        return settings.options();
    }

    /** Another agent of this run, named {@code agent}, connected now and closed after the class. */
    public TestSyncClient connect(String agent) {
        Options o = settings.user() == null ? Options.none() : Options.credentials(settings.user(), settings.password());
        TestSyncClient c = TestSyncClient.connect(settings.url(), settings.runId(), o.agent(agent));
        synchronized (more) {
            more.add(c);
        }
        return c;
    }

    /** Closes the agents from {@link #connect}, then the injected client. */
    void close() {
        List<TestSyncClient> all;
        synchronized (more) {
            all = new ArrayList<>(more);
            more.clear();
        }
        for (TestSyncClient c : all) c.close();
        client.close();
    }
}
