package io.testsync.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields of one JSON object from the server, each kept as its exact text (so data and
 * payloads reach the user byte for byte) and, for scalars and arrays of strings, as a value. Nested
 * objects are parsed only when asked for.
 */
final class Fields {
    /** One field: its JSON text exactly as in the frame, its token, and its value when it is a scalar or a list of strings. */
    private record Field(String raw, JsonToken token, Object value) {
    }

    private final String context;
    private final Map<String, Field> fields;

    private Fields(String context, Map<String, Field> fields) {
        this.context = context;
        this.fields = fields;
    }

    static Fields empty(String context) {
        return new Fields(context, Map.of());
    }

    /** Reads the object whose START_OBJECT is {@code p}'s current token, from {@code source} (the text the parser reads). */
    static Fields read(JsonParser p, String source, String context) throws IOException {
        Map<String, Field> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            int start = (int) p.currentTokenLocation().getCharOffset();
            Object value = null;
            if (t == JsonToken.START_ARRAY) {
                value = strings(p);
            } else if (t == JsonToken.START_OBJECT) {
                p.skipChildren();
            } else {
                value = scalar(p, t);
            }
            int end = (int) p.currentLocation().getCharOffset();
            out.put(name, new Field(source.substring(start, end), t, value));
        }
        return new Fields(context, Collections.unmodifiableMap(out));
    }

    /** The strings of an array of strings, or null (array skipped) when it holds anything else. */
    private static List<String> strings(JsonParser p) throws IOException {
        List<String> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                if (t.isStructStart()) p.skipChildren();
                while (p.nextToken() != JsonToken.END_ARRAY) if (p.currentToken().isStructStart()) p.skipChildren();
                return null;
            }
            list.add(p.getText());
        }
        return list;
    }

    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> {
                p.finishToken();
                yield null;
            }
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> {
                p.finishToken();
                yield null;
            }
        };
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The field's exact JSON text, or null when absent. */
    String raw(String name) {
        Field f = fields.get(name);
        return f == null ? null : f.raw();
    }

    String text(String name) {
        return (String) required(name, JsonToken.VALUE_STRING, "a string");
    }

    String textOr(String name, String fallback) {
        return has(name) ? text(name) : fallback;
    }

    long number(String name) {
        return (Long) required(name, JsonToken.VALUE_NUMBER_INT, "an integer");
    }

    long numberOr(String name, long fallback) {
        return has(name) ? number(name) : fallback;
    }

    boolean bool(String name) {
        Field f = fields.get(name);
        if (f == null || !(f.value() instanceof Boolean b)) throw missing(name, "true or false");
        return b;
    }

    /** An array of strings; empty when the field is absent. */
    @SuppressWarnings("unchecked")
    List<String> strings(String name) {
        Field f = fields.get(name);
        if (f == null) return List.of();
        if (f.token() != JsonToken.START_ARRAY || f.value() == null) throw missing(name, "an array of strings");
        return (List<String>) f.value();
    }

    /** A nested object, parsed now. */
    Fields object(String name) {
        Field f = fields.get(name);
        if (f == null || f.token() != JsonToken.START_OBJECT) throw missing(name, "an object");
        return Inbound.object(f.raw(), context + "." + name);
    }

    /** The integer fields of this object (others are left out). */
    Map<String, Long> numbers() {
        Map<String, Long> out = new LinkedHashMap<>();
        fields.forEach((k, f) -> {
            if (f.value() instanceof Long v) out.put(k, v);
        });
        return out;
    }

    private Object required(String name, JsonToken token, String what) {
        Field f = fields.get(name);
        if (f == null || f.token() != token || f.value() == null) throw missing(name, what);
        return f.value();
    }

    private TestSyncException missing(String name, String what) {
        return new TestSyncException(TestSyncException.PROTOCOL_ERROR, "", context + ": field \"" + name
                + "\" should be " + what + " but is " + (has(name) ? raw(name) : "absent") + "; is the server older than this client?");
    }
}
