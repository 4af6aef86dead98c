package com.todo.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** What the gateway reads of the bodies it passes on: a structured event's id and topic, a function's answer. */
final class Envelopes {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);
    private static final int MAX_ANSWER = 4096;
    private static final java.util.Set<String> OUTCOMES = java.util.Set.of("SUCCESS", "DROP", "RETRY");

    /** A 2xx answer in daprd's terms: SUCCESS (also for a body without a status), DROP or RETRY; a DROP's reason. */
    record Answer(String outcome, String reason) {
    }

    private Envelopes() {
    }

    /** The binary-mode {@code ce-id} header, else a structured event's top-level {@code id}; null when neither. */
    static String id(String ceId, byte[] body) {
        return ceId != null ? ceId : field(body, "id");
    }

    /** The topic daprd names in a structured delivery's envelope; null when it names none. */
    static String topic(byte[] body) {
        return field(body, "topic");
    }

    /** A top-level string field of a JSON object, read without building the tree; null when absent or not JSON. */
    private static String field(byte[] body, String name) {
        if (body == null || body.length == 0 || body[0] != '{') {
            return null;
        }
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the function will say so
        }
        return null;
    }

    /** A function's 2xx answer, as daprd reads it: an empty or unreadable body, or one without a status, is SUCCESS. */
    static Answer answer(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_ANSWER) {
            return new Answer("SUCCESS", null);
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            String status = node == null ? "" : node.path("status").asText("");
            String reason = node != null && node.path("reason").isTextual() ? node.get("reason").asText() : null;
            // daprd retries on a status it does not know
            String outcome = status.isEmpty() ? "SUCCESS" : OUTCOMES.contains(status) ? status : "RETRY";
            return new Answer(outcome, reason);
        } catch (IOException e) {
            return new Answer("SUCCESS", null);
        }
    }
}
