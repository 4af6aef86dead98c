package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code reminders}: exactly one of {@code beforeOffset} and {@code at} is set. */
@MappedEntity("reminders")
public record ReminderRow(
        @Id UUID id,
        UUID taskId,
        int position,
        @Nullable String beforeOffset,
        @Nullable Instant at,
        Instant remindAt) {
}
