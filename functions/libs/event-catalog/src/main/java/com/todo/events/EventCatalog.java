package com.todo.events;

import java.util.List;

/**
 * Names shared by code and deployment YAML (the wiring tests check the YAML against these).
 */
public final class EventCatalog {

    /** The Dapr pub/sub component every function publishes to and the gateway subscribes through. */
    public static final String PUBSUB_NAME = "taskpubsub";

    public static final String TOPIC_TASK_EVENTS = "task-events";
    public static final String TOPIC_REMINDER_EVENTS = "reminder-events";
    public static final String TOPIC_RECURRING_EVENTS = "recurring-events";
    public static final String TOPIC_NOTIFICATION_EVENTS = "notification-events";
    public static final List<String> TOPICS = List.of(TOPIC_TASK_EVENTS, TOPIC_REMINDER_EVENTS, TOPIC_RECURRING_EVENTS,
            TOPIC_NOTIFICATION_EVENTS);

    /** The deployable that keeps the dead-letter inbox; the gateway forwards every dead-letter topic to it. */
    public static final String DEAD_LETTER_INBOX = "task-api";

    /** Where the JSON Schemas live, as named by each event's {@code dataschema}. */
    public static final String SCHEMA_BASE_URI = "https://todo.example/schemas/";

    public static final String DATA_CONTENT_TYPE = "application/json";

    /**
     * The deployables that publish through a transactional outbox in their database (architecture D2): the gateway's
     * minute job flushes each. The others publish through Dapr directly or not at all.
     */
    public static final List<String> OUTBOX_PUBLISHERS = List.of("task-api", "reminder-due", "recurring-scheduled");

    private EventCatalog() {
    }
}
