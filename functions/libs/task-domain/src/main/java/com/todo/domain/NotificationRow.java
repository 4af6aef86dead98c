package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code notifications}: one in-app notification per reminder firing. */
@MappedEntity("notifications")
public record NotificationRow(
        @Id UUID id,
        String userId,
        UUID taskId,
        UUID reminderId,
        String title,
        Instant remindAt,
        Instant createdAt,
        @Nullable Instant readAt) {
}
