package com.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;

import java.time.OffsetDateTime;

/**
 * One of our events, read and checked: its data is valid against the type's schema and typed.
 *
 * @param id          the event's identity (for a KafkaSource-wrapped event, the inner event's id)
 * @param traceparent W3C trace context carried by the envelope, if any
 */
public record DecodedEvent<T>(
        String id,
        EventType type,
        String source,
        @Nullable String subject,
        @Nullable OffsetDateTime time,
        T data,
        JsonNode dataJson,
        @Nullable String traceparent) {
}
