package io.testsync.server.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A command's {@code content} object, read once with the streaming parser (a join or a counter step
 * is on a hot path; databind would cost a tree per frame). Fields keep their exact JSON text, so a
 * published payload is forwarded byte for byte. Typed getters throw {@link Invalid} naming the field.
 */
public final class Content {
    private static final JsonFactory JSON = new JsonFactory();

    /** Why the content cannot be used; the message is the {@code invalid_argument} error's. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private record Field(JsonToken token, String text, String raw) {}

    private final Map<String, Field> fields;

    private Content(Map<String, Field> fields) {
        this.fields = fields;
    }

    /**
     * Reads {@code content} (the envelope's content text, null when absent).
     *
     * @param shape what the command needs, for the message when content is not an object
     */
    public static Content parse(String content, String shape) throws Invalid {
        if (content == null) throw new Invalid(shape);
        Map<String, Field> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new Invalid(shape);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                String text = value.isScalarValue() ? p.getText() : null;
                boolean integral = value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                String raw = Envelope.valueText(content, p, value);
                fields.put(name, new Field(integral ? value : value == JsonToken.VALUE_NUMBER_INT ? JsonToken.VALUE_NUMBER_FLOAT : value,
                        text, raw));
            }
        } catch (IOException unreachable) { // the envelope parser already read this value whole
            throw new Invalid(shape);
        }
        return new Content(fields);
    }

    /** True when the field is present (JSON null included). */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** A string field; null when absent or JSON null. */
    public String string(String name) throws Invalid {
        Field f = fields.get(name);
        if (f == null || f.token == JsonToken.VALUE_NULL) return null;
        if (f.token != JsonToken.VALUE_STRING) throw new Invalid(name + " must be a string (got " + shown(f) + ")");
        return f.text;
    }

    /** An integer field that fits a long; null when absent or JSON null; 1.0, "1" or 1e3 are not integers. */
    public Long integer(String name) throws Invalid {
        Field f = fields.get(name);
        if (f == null || f.token == JsonToken.VALUE_NULL) return null;
        if (f.token != JsonToken.VALUE_NUMBER_INT) throw new Invalid(name + " must be an integer (got " + shown(f) + ")");
        return Long.parseLong(f.text);
    }

    /** A boolean field; {@code otherwise} when absent or JSON null. */
    public boolean bool(String name, boolean otherwise) throws Invalid {
        Field f = fields.get(name);
        if (f == null || f.token == JsonToken.VALUE_NULL) return otherwise;
        if (f.token != JsonToken.VALUE_TRUE && f.token != JsonToken.VALUE_FALSE) {
            throw new Invalid(name + " must be true or false (got " + shown(f) + ")");
        }
        return f.token == JsonToken.VALUE_TRUE;
    }

    /** The field's exact JSON text as the agent sent it (JSON null is "null"); null when absent. */
    public String raw(String name) {
        Field f = fields.get(name);
        return f == null ? null : f.raw;
    }

    private static String shown(Field f) {
        String raw = f.raw.length() > 40 ? f.raw.substring(0, 40) + "…" : f.raw;
        return raw;
    }
}
