package com.todo.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;

/** Builds our events and writes them as complete structured CloudEvents ({@code application/cloudevents+json}). */
public final class StructuredEvents {

    /** The content type to publish with, so Dapr keeps our id and type (platform contracts §1). */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final EventFormat FORMAT = new JsonFormat();

    private StructuredEvents() {
    }

    /**
     * @param id      stable event id (a replayed logical event keeps it)
     * @param source  the producing function, e.g. {@code /task-api}
     * @param subject the task id (also the partition key)
     * @param data    the event data as JSON bytes, already valid against the type's schema
     * The event carries the current {@link TraceContext}, if any.
     */
    public static CloudEvent build(EventType type, String id, String source, String subject, Instant time, byte[] data) {
        CloudEventBuilder builder = CloudEventBuilder.v1();
        TraceContext.current().ifPresent(trace -> builder.withExtension("traceparent", trace).withExtension("traceid", trace));
        return builder
                .withId(id)
                .withType(type.type())
                .withSource(URI.create(source))
                .withSubject(subject)
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataSchema(type.dataSchema())
                .withDataContentType(EventCatalog.DATA_CONTENT_TYPE)
                .withData(data)
                .build();
    }

    public static byte[] serialize(CloudEvent event) {
        return FORMAT.serialize(event);
    }

    public static CloudEvent deserialize(byte[] structured) {
        return FORMAT.deserialize(structured);
    }
}
