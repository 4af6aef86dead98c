package com.todo.domain;

import io.micronaut.serde.annotation.Serdeable;

/** One invalid input field, named as a JSON pointer-like path such as {@code reminders[1].before}. */
@Serdeable
public record FieldError(String field, String message) {
}
