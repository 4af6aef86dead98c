package com.todo.function;

import java.util.Map;

/**
 * An optional way out for a notification besides the in-app record: a Dapr output binding (email through
 * bindings.smtp, a webhook through bindings.http). Off unless configured.
 */
public interface NotificationChannel {

    /** The channel's name as reported in com.todo.notification.sent. */
    String name();

    /**
     * @param payload the notification as JSON-ready fields
     * @throws RuntimeException when delivery failed and should be retried
     */
    void deliver(Map<String, Object> payload);
}
