package io.testsync.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * One text frame from the server: {@code command}, the {@code id} it echoes (this client only sends
 * numeric ids; -1 when absent or not ours) and the {@code content} object's fields.
 */
record Inbound(String command, long id, Fields content, long receivedAtNanos) {
    static final JsonFactory JSON = JsonFactory.builder().build();

    static Inbound parse(String frame, long receivedAtNanos) {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw unreadable(frame, "not a JSON object");
            String command = null;
            long id = -1;
            Fields content = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "command" -> command = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "id" -> id = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                            ? p.getLongValue() : -1;
                    case "content" -> {
                        if (t == JsonToken.START_OBJECT) content = Fields.read(p, frame, commandOr(command));
                        else if (t.isStructStart()) p.skipChildren();
                    }
                    default -> {
                        if (t.isStructStart()) p.skipChildren();
                    }
                }
            }
            if (command == null) throw unreadable(frame, "no string \"command\"");
            return new Inbound(command, id, content == null ? Fields.empty(command) : content, receivedAtNanos);
        } catch (IOException e) {
            throw unreadable(frame, why(e));
        }
    }

    /** A JSON object given as text, e.g. a nested field kept raw. */
    static Fields object(String json, String context) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw unreadable(json, context + " is not an object");
            return Fields.read(p, json, context);
        } catch (IOException e) {
            throw unreadable(json, why(e));
        }
    }

    private static String why(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    private static String commandOr(String command) {
        return command == null ? "reply" : command;
    }

    private static TestSyncException unreadable(String frame, String why) {
        String shown = frame.length() > 200 ? frame.substring(0, 200) + "…" : frame;
        return new TestSyncException(TestSyncException.PROTOCOL_ERROR, "", "unreadable frame from the server (" + why + "): " + shown);
    }

    /** Fails unless {@code text} is exactly one JSON value; {@code what} names it in the message ("data", "payload"). */
    static void requireJson(String text, String what) {
        if (text == null) throw new IllegalArgumentException(what + " must not be null: pass JSON text, e.g. \"null\" or \"{}\"");
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IllegalArgumentException(what + " is empty: pass one JSON value, e.g. {\"k\":1}");
            if (t.isStructStart()) p.skipChildren();
            else p.finishToken();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(what + " holds more than one JSON value (extra text at offset "
                        + p.currentTokenLocation().getCharOffset() + "): pass exactly one");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON (" + why(e) + " at offset "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation().getCharOffset() : -1) + "): pass JSON text, e.g. {\"room\":\"r-1\"} or \"a string\" with its quotes");
        }
    }
}
