package io.testsync.server.ws.commands;

import io.testsync.server.runs.Names;
import io.testsync.server.runs.Outcome;
import io.testsync.server.ws.Connection;
import io.testsync.server.ws.Content;
import io.testsync.server.ws.Envelope;
import io.testsync.server.ws.ErrorCode;
import io.testsync.server.wire.Json;

/** What the toolkit's commands share: reading a name, and turning a refused or failed outcome into its error frame. */
final class Answers {
    private Answers() {}

    /** A required name field (state, name, topic): a non-empty string of at most 256 characters (SPEC §9.3). */
    static String name(Content c, String field) throws Content.Invalid {
        String value = c.string(field);
        try {
            Names.require(field, value);
        } catch (IllegalArgumentException e) {
            throw new Content.Invalid(e.getMessage() + (value == null ? " (it is missing)" : ""));
        }
        return value;
    }

    /**
     * Answers a failure or a refusal; returns true when it did, so the caller only handles acceptance.
     */
    static boolean refused(Connection agent, Envelope e, Outcome<?> outcome, Throwable failure) {
        if (failure != null) {
            Coordination.failed(agent, e, failure);
            return true;
        }
        if (outcome.accepted()) return false;
        ErrorCode code = switch (outcome.refusal()) {
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case LIMIT_REACHED -> ErrorCode.LIMIT_REACHED;
        };
        agent.error(e, code, outcome.message());
        return true;
    }

    /** {@code {"<field>":"<value>", …}}: the first member of every toolkit reply. */
    static String opening(String field, String value) {
        return "{\"" + field + "\":" + Json.quote(value);
    }
}
