package com.todo.domain;

import java.util.UUID;

/** No such task for this user (another user's task is reported the same way). */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(UUID id) {
        this(id.toString());
    }

    public TaskNotFoundException(String id) {
        super("No task " + id);
    }
}
