package com.todo.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The whole task after a change: the data of every com.todo.task.* event. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskSnapshot(
        UUID id,
        String userId,
        String title,
        @Nullable String description,
        String status,
        String priority,
        List<String> tags,
        @Nullable Instant dueAt,
        String timeZone,
        List<Reminder> reminders,
        @Nullable Recurrence recurrence,
        @Nullable UUID seriesId,
        long version,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt) {

    /** A reminder with its resolved time; exactly one of {@code before} and {@code at} is set. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Reminder(UUID id, @Nullable String before, @Nullable Instant at, Instant remindAt) {
    }

    /** An RFC 5545 RRULE and the series start (DTSTART) that COUNT and UNTIL count from. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Recurrence(String rule, Instant seriesStart) {
    }
}
