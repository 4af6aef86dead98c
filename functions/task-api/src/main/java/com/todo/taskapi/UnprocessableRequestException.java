package com.todo.taskapi;

/** A well-typed request that breaks a rule of its route (422, naming the field); nothing was changed. */
class UnprocessableRequestException extends RuntimeException {

    private final String field;

    UnprocessableRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
