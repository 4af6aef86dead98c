package com.todo.events;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * The event catalog (architecture D1): one entry per CloudEvent type, with its topic, the function that
 * handles it (also its Dapr app-id, Knative service and HTTP route) and the Java type of its data.
 */
public enum EventType {
    TASK_CREATED("com.todo.task.created", EventCatalog.TOPIC_TASK_EVENTS, "task-created", TaskSnapshot.class),
    TASK_UPDATED("com.todo.task.updated", EventCatalog.TOPIC_TASK_EVENTS, "task-updated", TaskSnapshot.class),
    TASK_COMPLETED("com.todo.task.completed", EventCatalog.TOPIC_TASK_EVENTS, "task-completed", TaskSnapshot.class),
    TASK_DELETED("com.todo.task.deleted", EventCatalog.TOPIC_TASK_EVENTS, "task-deleted", TaskSnapshot.class),
    REMINDER_DUE("com.todo.reminder.due", EventCatalog.TOPIC_REMINDER_EVENTS, "reminder-due", ReminderDue.class),
    RECURRING_SCHEDULED("com.todo.recurring.scheduled", EventCatalog.TOPIC_RECURRING_EVENTS, "recurring-scheduled",
            RecurringScheduled.class),
    /** Audit / UI only: nothing subscribes to it yet. */
    NOTIFICATION_SENT("com.todo.notification.sent", EventCatalog.TOPIC_NOTIFICATION_EVENTS, null, NotificationSent.class);

    private final String type;
    private final String topic;
    private final String handler;
    private final Class<?> dataType;

    EventType(String type, String topic, String handler, Class<?> dataType) {
        this.type = type;
        this.topic = topic;
        this.handler = handler;
        this.dataType = dataType;
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
