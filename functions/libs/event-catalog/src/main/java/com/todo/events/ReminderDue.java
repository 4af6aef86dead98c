package com.todo.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** Data of com.todo.reminder.due: a scheduled reminder fired. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReminderDue(
        UUID reminderId,
        UUID taskId,
        String userId,
        Instant remindAt,
        @Nullable Instant dueAt,
        String title,
        long taskVersion) {
}
