package io.testsync.server.ws.commands;

import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answer to a command whose coordination backend failed (SPEC §11: Redis unreachable): logged, internal_error. */
final class Coordination {
    private static final Logger LOG = LoggerFactory.getLogger(Coordination.class);

    private Coordination() {}

    static void failed(Connection agent, Envelope e, Throwable failure) {
        LOG.warn("{} of run {} failed: {}", e.command(), agent.testId(), failure.toString());
        agent.error(e, ErrorCode.INTERNAL_ERROR, "coordination failed; the command was not applied");
    }
}
