package com.todo.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.StructuredEvents;
import io.cloudevents.CloudEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The body of {@code PUT /schedules/{name}}, {@code {"dueTime", "topic", "event"}}, which is also the data of the
 * Dapr job: when the job fires, the event is published exactly as it was handed over, with its own id.
 */
record ScheduledEvent(Instant dueTime, String topic, CloudEvent event, byte[] eventBytes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOPICS = Set.of(EventCatalog.TOPIC_TASK_EVENTS, EventCatalog.TOPIC_REMINDER_EVENTS,
            EventCatalog.TOPIC_RECURRING_EVENTS, EventCatalog.TOPIC_NOTIFICATION_EVENTS);

    /** @throws IllegalArgumentException saying what is wrong with the body */
    static ScheduledEvent parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the body is unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be {\"dueTime\", \"topic\", \"event\"}");
        }
        Instant dueTime;
        try {
            dueTime = OffsetDateTime.parse(root.path("dueTime").asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("dueTime must be an RFC 3339 date-time");
        }
        String topic = root.path("topic").asText();
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("topic must be one of " + TOPICS.stream().sorted().toList());
        }
        JsonNode eventNode = root.get("event");
        if (eventNode == null || !eventNode.isObject()) {
            throw new IllegalArgumentException("event must be a structured CloudEvent (a JSON object)");
        }
        byte[] eventBytes;
        CloudEvent event;
        try {
            eventBytes = JSON.writeValueAsBytes(eventNode);
            event = StructuredEvents.deserialize(eventBytes);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("event is not a CloudEvent: " + reason(e));
        }
        return new ScheduledEvent(dueTime, topic, event, eventBytes);
    }

    /** What was wrong, in the reader's words: the innermost cause's message, without class names or source locations. */
    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException json ? json.getOriginalMessage() : cause.getMessage();
        return message == null || message.isBlank() ? "unreadable" : message.lines().findFirst().orElseThrow();
    }

    /** Partition key: the event's subject (the task id), as every producer uses. */
    EventPublisher.OutgoingEvent outgoing(String scheduleName) {
        String key = event.getSubject() != null ? event.getSubject() : scheduleName;
        return new EventPublisher.OutgoingEvent(event.getId(), event.getType(), topic, key, eventBytes);
    }
}
