package com.todo.domain;

import java.util.List;
import java.util.stream.Collectors;

/** The input breaks a rule of the task model; nothing was written. */
public class InvalidTaskException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidTaskException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
