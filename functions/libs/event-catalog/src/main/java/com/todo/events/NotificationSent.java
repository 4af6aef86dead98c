package com.todo.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of com.todo.notification.sent. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NotificationSent(
        UUID notificationId,
        String userId,
        UUID taskId,
        UUID reminderId,
        Instant remindAt,
        List<String> channels) {
}
