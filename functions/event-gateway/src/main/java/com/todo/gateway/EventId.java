package com.todo.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Optional;

/** What the gateway reads of the bodies it passes on: a structured event's id, a DROP answer's reason. */
final class EventId {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);
    private static final int MAX_ANSWER = 4096;

    private EventId() {
    }

    /** The binary-mode {@code ce-id} header, else a structured event's top-level {@code id}; null when neither. */
    static String of(String ceId, byte[] body) {
        if (ceId != null || body == null || body.length == 0 || body[0] != '{') {
            return ceId;
        }
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("id") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the function will say so; the log shows no id
        }
        return null;
    }

    /** The reason of a function's {@code {"status":"DROP","reason":…}} answer. */
    static Optional<String> dropReason(byte[] answer) {
        if (answer == null || answer.length == 0 || answer.length > MAX_ANSWER) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(answer);
            if (node != null && "DROP".equals(node.path("status").asText()) && node.path("reason").isTextual()) {
                return Optional.of(node.get("reason").asText());
            }
        } catch (IOException e) {
            // an answer that is not JSON carries no reason
        }
        return Optional.empty();
    }
}
