package io.testsync.server.ws.commands;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.testsync.server.store.StoredData;
import io.testsync.server.wire.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The content of a v1 {@code read_data} reply (SPEC §9.2): the data verbatim when it is JSON, else base64. */
final class V1Data {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256)
                    .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    private V1Data() {}

    static String content(StoredData data) {
        if (data == null) return "{\"exists\":false}";
        String head = "{\"exists\":true,\"content_type\":" + Json.quote(data.contentType());
        byte[] bytes = data.bytes();
        return isJson(bytes)
                ? head + ",\"data\":" + new String(bytes, StandardCharsets.UTF_8) + "}"
                : head + ",\"data_base64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
    }

    /** True when the bytes are exactly one JSON value in UTF-8 (whitespace around it allowed). */
    static boolean isJson(byte[] bytes) {
        if (bytes.length == 0) return false;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() == null) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }
}
