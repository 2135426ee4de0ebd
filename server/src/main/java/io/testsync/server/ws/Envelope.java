package io.testsync.server.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;

/**
 * One agent frame: {@code {"command": ..., "content": ..., "id": ...}} (SPEC §3). The content and id
 * are kept as the exact text they have in the frame, so {@code update_data} stores the agent's bytes
 * (whitespace included) and replies echo the id as it was sent, without re-serializing.
 *
 * @param command the command name
 * @param id      the id's JSON text (a string literal with its quotes, or a number), null when absent
 * @param content the content value's JSON text, null when absent
 */
public record Envelope(String command, String id, String content) {

    private static final JsonFactory JSON = JsonFactory.builder()
            // deep nesting is refused by the parser itself instead of exhausting the stack
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    /** Why a frame is not an envelope; carries the id when it could be read, so the error reply can echo it. */
    public static final class Invalid extends Exception {
        private final String id;

        Invalid(String message, String id) {
            super(message, null, false, false);
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public static Envelope parse(String frame) throws Invalid {
        Envelope plain = EnvelopeScanner.scan(frame);
        return plain != null ? plain : parseWithJackson(frame);
    }

    /** Any frame: Jackson reads it, and says what is wrong with it. */
    static Envelope parseWithJackson(String frame) throws Invalid {
        String command = null;
        String id = null;
        String content = null;
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Invalid("a frame must be one JSON object like {\"command\":\"read_data\"}", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "command" -> {
                        if (value != JsonToken.VALUE_STRING) throw new Invalid("\"command\" must be a string", id);
                        command = p.getText();
                    }
                    case "id" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            id = null;
                        } else if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                                || value == JsonToken.VALUE_NUMBER_FLOAT) {
                            id = valueText(frame, p, value);
                        } else {
                            throw new Invalid("\"id\" must be a string or a number", null);
                        }
                    }
                    case "content" -> content = valueText(frame, p, value);
                    default -> p.skipChildren(); // unknown fields are ignored, as the original server did
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new Invalid("a frame must hold exactly one JSON object", id);
            }
        } catch (JsonProcessingException e) {
            throw new Invalid("frame is not valid JSON: " + e.getOriginalMessage(), id);
        } catch (IOException e) {
            throw new Invalid("frame could not be read: " + e.getMessage(), id);
        }
        if (command == null) throw new Invalid("frame has no \"command\" string", id);
        return new Envelope(command, id, content);
    }

    /** The exact text of the value whose first token the parser is on; leaves the parser on its last token. */
    static String valueText(String frame, JsonParser p, JsonToken first) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        int end;
        switch (first) {
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                end = (int) p.currentLocation().getCharOffset();
            }
            case VALUE_STRING -> {
                p.getText(); // completes the lazily read token, so the location is past the closing quote
                end = (int) p.currentLocation().getCharOffset();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                // the parser may have looked one character past the number: measure it ourselves
                end = start;
                while (end < frame.length() && "0123456789+-.eE".indexOf(frame.charAt(end)) >= 0) end++;
            }
            case VALUE_TRUE -> end = start + 4;
            case VALUE_FALSE -> end = start + 5;
            case VALUE_NULL -> end = start + 4;
            default -> throw new JsonProcessingException("unexpected token " + first, p.currentLocation()) {};
        }
        return frame.substring(start, end);
    }
}
