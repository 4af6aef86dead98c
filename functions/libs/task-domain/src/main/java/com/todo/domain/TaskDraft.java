package com.todo.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The editable fields of a task as a client states them, before validation. {@code rule} is the RFC 5545 RRULE
 * (null: not recurring).
 */
public record TaskDraft(
        String title,
        @Nullable String description,
        String status,
        String priority,
        List<String> tags,
        @Nullable Instant dueAt,
        String timeZone,
        List<ReminderDraft> reminders,
        @Nullable String rule) {

    /** A reminder as stated: {@code id} null for a new one; exactly one of {@code before} and {@code at}. */
    public record ReminderDraft(@Nullable UUID id, @Nullable String before, @Nullable Instant at) {
    }
}
