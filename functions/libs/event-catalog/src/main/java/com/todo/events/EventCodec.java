package com.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonCloudEventData;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an HTTP delivery into one of our typed, schema-checked events, whatever its shape (architecture D4):
 * <ul>
 *   <li>structured ({@code application/cloudevents+json}), including daprd's envelope fields and {@code data_base64};</li>
 *   <li>binary ({@code ce-*} headers, body = data);</li>
 *   <li>KafkaSource-wrapped: a binary event of type {@value #KAFKA_SOURCE_TYPE} whose body is the record value, here
 *       the Dapr envelope; its outer id changes on every redelivery, so the identity is the inner event's id.</li>
 * </ul>
 */
public final class EventCodec {

    public static final String KAFKA_SOURCE_TYPE = "dev.knative.kafka.event";

    private static final ObjectMapper JSON = EventJson.MAPPER;

    private EventCodec() {
    }

    /**
     * @param headers HTTP headers (names in any case)
     * @throws EventRejected if the request is no CloudEvent in any supported shape
     */
    public static CloudEvent read(Map<String, List<String>> headers, byte[] body) throws EventRejected {
        CloudEvent event = readMessage(headers, body);
        if (KAFKA_SOURCE_TYPE.equals(event.getType())) {
            if (event.getData() == null) {
                throw new EventRejected("KafkaSource event " + event.getId() + " carries no record value");
            }
            try {
                return StructuredEvents.deserialize(event.getData().toBytes());
            } catch (RuntimeException e) {
                // parsing given bytes has no transient fault: whatever fails here fails on every delivery
                throw new EventRejected("KafkaSource record value is not a structured CloudEvent: " + e.getMessage(), e);
            }
        }
        return event;
    }

    /**
     * Reads the delivery and checks it is one of {@code accepted}, with data valid against that type's schema.
     *
     * @throws EventRejected naming what is wrong (for invalid data, each failing field as a JSON pointer)
     */
    public static DecodedEvent<?> decode(Map<String, List<String>> headers, byte[] body, Set<EventType> accepted)
            throws EventRejected {
        return decode(read(headers, body), accepted);
    }

    public static DecodedEvent<?> decode(CloudEvent event, Set<EventType> accepted) throws EventRejected {
        EventType type = EventType.ofType(event.getType())
                .filter(accepted::contains)
                .orElseThrow(() -> new EventRejected("event " + event.getId() + " has type " + event.getType()
                        + ", not one handled here " + accepted.stream().map(EventType::type).sorted().toList()));
        String contentType = event.getDataContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new EventRejected("event " + event.getId() + " has datacontenttype " + contentType
                    + ", not application/json");
        }
        if (event.getData() == null) {
            throw new EventRejected("event " + event.getId() + " (" + type.type() + ") has no data");
        }
        JsonNode data;
        try {
            // a structured event's data is already a tree: printing and parsing it again would be waste
            data = event.getData() instanceof JsonCloudEventData json ? json.getNode()
                    : JSON.readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new EventRejected("event " + event.getId() + " data is not JSON: " + e.getMessage(), e);
        }
        List<String> violations = EventSchemas.violations(type, data);
        if (!violations.isEmpty()) {
            throw new EventRejected("event " + event.getId() + " (" + type.type() + ") data is invalid: "
                    + String.join("; ", violations));
        }
        Object typed;
        try {
            typed = JSON.treeToValue(data, type.dataType());
        } catch (IOException e) {
            throw new EventRejected("event " + event.getId() + " data does not fit " + type.dataType().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        Object traceparent = event.getExtension("traceparent");
        return new DecodedEvent<>(event.getId(), type, event.getSource().toString(), event.getSubject(),
                event.getTime(), typed, data, traceparent == null ? null : traceparent.toString());
    }

    private static CloudEvent readMessage(Map<String, List<String>> headers, byte[] body) throws EventRejected {
        try {
            // the reader's factory already refuses a message with neither ce-* headers nor a CloudEvents content type
            return HttpMessageFactory.createReaderFromMultimap(headers, body).toEvent();
        } catch (RuntimeException e) {
            // the library's parse errors are of several types (and a JSON null is a NullPointerException): all DROP
            throw new EventRejected("not a CloudEvent (structured or binary): " + e.getMessage(), e);
        }
    }

    private static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json");
    }
}
