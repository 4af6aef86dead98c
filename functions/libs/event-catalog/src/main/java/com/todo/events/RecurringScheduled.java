package com.todo.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of com.todo.recurring.scheduled: the next occurrence of a series, to be created once. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RecurringScheduled(
        UUID seriesId,
        UUID previousTaskId,
        UUID nextTaskId,
        String userId,
        Instant occurrenceAt,
        Template template) {

    /** What the next occurrence carries over; {@code reminderOffsets} are the {@code before} durations. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Template(
            String title,
            @Nullable String description,
            String priority,
            List<String> tags,
            String timeZone,
            List<String> reminderOffsets,
            String rule,
            Instant seriesStart) {
    }
}
