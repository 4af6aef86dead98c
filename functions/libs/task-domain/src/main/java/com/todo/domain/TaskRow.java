package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code tasks}. */
@MappedEntity("tasks")
public record TaskRow(
        @Id UUID id,
        String userId,
        String title,
        @Nullable String description,
        String status,
        String priority,
        @TypeDef(type = DataType.STRING_ARRAY) String[] tags,
        @Nullable Instant dueAt,
        String timeZone,
        @Nullable String recurrenceRule,
        @Nullable Instant seriesStart,
        @Nullable UUID seriesId,
        long version,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt) {
}
