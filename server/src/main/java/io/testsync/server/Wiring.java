package io.testsync.server;

import io.testsync.server.config.Config;
import io.testsync.server.http.Auth;
import io.testsync.server.http.Cors;
import io.testsync.server.http.TestsApi;
import io.testsync.server.metrics.Recorder;
import io.testsync.server.ops.OpsApi;
import io.testsync.server.runs.Coordinator;
import io.testsync.server.runs.Scheduler;
import io.testsync.server.store.DataStore;

/** What every listener shares: one store, one coordination of runs, one clock, one set of metrics. */
record Wiring(Config config, Tuning tuning, DataStore store, Coordinator coordinator, Scheduler clock,
              Auth auth, Cors cors, TestsApi tests, Recorder metrics, OpsApi ops) {
    /** Room for the envelope around a content value at the data limit ({@code {"command":"update_data","content":...}}). */
    static final int ENVELOPE_SLACK = io.testsync.server.ws.AgentEndpoint.ENVELOPE_SLACK;
}
