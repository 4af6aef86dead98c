package com.todo.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * Filters and paging of a task listing. {@code dueAfter} is inclusive, {@code dueBefore} exclusive; {@code page}
 * counts from 0.
 */
public record TaskQuery(
        @Nullable String status,
        @Nullable String priority,
        @Nullable String tag,
        @Nullable Instant dueBefore,
        @Nullable Instant dueAfter,
        @Nullable String text,
        Sort sort,
        int page,
        int size) {

    /** The orders a listing offers; ties are broken by creation time, then id, so pages are stable. */
    public enum Sort {
        DUE_AT("dueAt", "due_at ASC NULLS LAST, created_at, id"),
        DUE_AT_DESC("-dueAt", "due_at DESC NULLS LAST, created_at, id"),
        PRIORITY("priority", "CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, created_at, id"),
        PRIORITY_DESC("-priority", "CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END DESC, created_at, id"),
        CREATED_AT("createdAt", "created_at, id"),
        CREATED_AT_DESC("-createdAt", "created_at DESC, id DESC");

        private final String parameter;
        private final String orderBy;

        Sort(String parameter, String orderBy) {
            this.parameter = parameter;
            this.orderBy = orderBy;
        }

        public String parameter() {
            return parameter;
        }

        String orderBy() {
            return orderBy;
        }

        public static java.util.Optional<Sort> ofParameter(String value) {
            return java.util.Arrays.stream(values()).filter(s -> s.parameter.equals(value)).findFirst();
        }
    }
}
