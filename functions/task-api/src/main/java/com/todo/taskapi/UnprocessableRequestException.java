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

    /** Refuses the first field of {@code object} not in {@code allowed}, named {@code prefix + field}. */
    static void onlyFields(com.fasterxml.jackson.databind.JsonNode object, String prefix,
                           java.util.Set<String> allowed, String expected) {
        object.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new UnprocessableRequestException(prefix + field, "unknown field: " + expected);
            }
        });
    }
}
