package io.testsync.server.ws.commands;

import io.testsync.server.store.StoreFaults;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answer to a command whose storage read or write failed: logged once with its cause, internal_error to the agent. */
final class StorageFailure {
    static final Logger LOG = LoggerFactory.getLogger("io.testsync.server.ws.Commands");

    private StorageFailure() {}

    static void answer(Connection agent, Envelope e, StoreFaults.Kind kind, Throwable failure) {
        StoreFaults.report(LOG, kind, e.command() + " of run " + agent.testId(), failure);
        agent.error(e, ErrorCode.INTERNAL_ERROR, "storage failed; the command was not applied");
    }
}
