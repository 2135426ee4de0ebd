package io.testsync.server.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the management API's answers. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static JsonNode read(String body) throws AdminClient.Failure {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdminClient.Failure("the server's answer is not JSON; is --url a TestSync server?");
        }
    }

    /** The {@code error} of a §2 error body, or null when the body is not one. */
    static String errorMessage(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            return n != null && n.path("error").isTextual() ? n.get("error").asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
