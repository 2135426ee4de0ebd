package io.testsync.server.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The content of {@code wait_checkpoint}, validated (SPEC §4). Read with the streaming parser: a
 * join is on the barrier's hot path, and databind would cost a tree per join and startup time.
 *
 * @param timeoutMs null when absent (the configured default applies)
 */
record CheckpointArgs(String identifier, int targetCount, Long timeoutMs) {
    static final int MAX_IDENTIFIER = 256;
    static final String SHAPE = "wait_checkpoint needs content {\"identifier\": string, \"target_count\": integer >= 1, "
            + "\"timeout_ms\": integer >= 0 (optional)}";
    private static final JsonFactory JSON = new JsonFactory();

    /** Why the content cannot be used; the message is the error frame's. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static CheckpointArgs parse(String content) throws Invalid {
        if (content == null) throw new Invalid(SHAPE);
        String identifier = null;
        Integer target = null;
        String targetText = null;
        Long timeout = null;
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new Invalid(SHAPE);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "identifier" -> identifier = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "target_count" -> {
                        targetText = value.isScalarValue() ? p.getText() : value.asString();
                        target = value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                                && p.getIntValue() >= 1 ? p.getIntValue() : null;
                        p.skipChildren();
                    }
                    case "timeout_ms" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            timeout = null;
                        } else if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                && p.getLongValue() >= 0) {
                            timeout = p.getLongValue();
                        } else {
                            throw new Invalid("timeout_ms must be an integer >= 0 (0 waits forever; got "
                                    + (value.isScalarValue() ? p.getText() : value.asString()) + ")");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException unreachable) { // the envelope parser already read this value whole
            throw new Invalid(SHAPE);
        }
        if (identifier == null || identifier.isEmpty() || identifier.codePointCount(0, identifier.length()) > MAX_IDENTIFIER) {
            throw new Invalid("identifier must be a non-empty string of at most " + MAX_IDENTIFIER + " characters");
        }
        if (target == null) {
            throw new Invalid("target_count must be an integer from 1 to " + Integer.MAX_VALUE
                    + (targetText == null ? " (it is missing)" : " (got " + targetText + ")"));
        }
        return new CheckpointArgs(identifier, target, timeout);
    }
}
