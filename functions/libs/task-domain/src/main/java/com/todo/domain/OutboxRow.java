package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code outbox}: one complete structured CloudEvent waiting for (or done with) publishing. */
@MappedEntity("outbox")
public record OutboxRow(
        @Id @GeneratedValue Long seq,
        String eventId,
        String aggregateId,
        String topic,
        String type,
        String payload,
        Instant createdAt,
        @Nullable Instant publishedAt,
        int attempts,
        Instant nextAttemptAt,
        @Nullable String lastError) {
}
