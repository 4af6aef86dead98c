package com.todo.taskapi;

import com.todo.domain.FieldError;

import java.util.List;

/** The request is not well-formed (unreadable JSON, a wrong JSON type, a bad query parameter): 400. */
public class BadRequestException extends RuntimeException {

    private final transient List<FieldError> errors;

    public BadRequestException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public BadRequestException(String detail) {
        this(detail, List.of());
    }

    public List<FieldError> errors() {
        return errors;
    }
}
