package com.todo.events;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The event catalog (architecture D1): one entry per CloudEvent type, with its topic, the function that
 * handles it (also its Dapr app-id, Knative service and HTTP route) and the Java type of its data.
 */
public enum EventType {
    TASK_CREATED("com.todo.task.created", EventCatalog.TOPIC_TASK_EVENTS, "task-created", TaskSnapshot.class,
            "task-api", "recurring-scheduled"),
    TASK_UPDATED("com.todo.task.updated", EventCatalog.TOPIC_TASK_EVENTS, "task-updated", TaskSnapshot.class,
            "task-api"),
    TASK_COMPLETED("com.todo.task.completed", EventCatalog.TOPIC_TASK_EVENTS, "task-completed", TaskSnapshot.class,
            "task-api"),
    TASK_DELETED("com.todo.task.deleted", EventCatalog.TOPIC_TASK_EVENTS, "task-deleted", TaskSnapshot.class,
            "task-api"),
    /** Built when a reminder is scheduled; the gateway keeps it and publishes it when the job fires. */
    REMINDER_DUE("com.todo.reminder.due", EventCatalog.TOPIC_REMINDER_EVENTS, "reminder-due", ReminderDue.class,
            "task-created", "task-updated"),
    RECURRING_SCHEDULED("com.todo.recurring.scheduled", EventCatalog.TOPIC_RECURRING_EVENTS, "recurring-scheduled",
            RecurringScheduled.class, "task-completed"),
    /** Audit / UI only: nothing subscribes to it yet. */
    NOTIFICATION_SENT("com.todo.notification.sent", EventCatalog.TOPIC_NOTIFICATION_EVENTS, null, NotificationSent.class,
            "reminder-due");

    private final String type;
    private final String topic;
    private final String handler;
    private final Class<?> dataType;
    private final List<String> builders;

    EventType(String type, String topic, String handler, Class<?> dataType, String... builders) {
        this.type = type;
        this.topic = topic;
        this.handler = handler;
        this.dataType = dataType;
        this.builders = List.of(builders);
    }

    /** The CloudEvent {@code type} attribute. */
    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    /** The function that consumes this type, if any. */
    public Optional<String> handler() {
        return Optional.ofNullable(handler);
    }

    public Class<?> dataType() {
        return dataType;
    }

    /** The deployables that build this event, serializing its data (architecture D1's "produced by"). */
    public List<String> builders() {
        return builders;
    }

    /** Classpath resource of the JSON Schema for the event's data. */
    public String schemaResource() {
        return "schemas/" + type + ".json";
    }

    /** The CloudEvent {@code dataschema} attribute: an absolute URI naming the schema. */
    public URI dataSchema() {
        return URI.create(EventCatalog.SCHEMA_BASE_URI + type + ".json");
    }

    public static Optional<EventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
