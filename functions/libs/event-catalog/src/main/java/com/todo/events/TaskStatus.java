package com.todo.events;

import java.util.Set;

/**
 * A task's statuses. An occurrence is closed when it is completed or skipped: closing it is the one
 * com.todo.task.completed event (the snapshot's status says which), after which it has no reminders and its series
 * goes on with the next occurrence.
 */
public final class TaskStatus {

    public static final String PENDING = "pending";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    /** Closed without being done: only an occurrence of a recurring task. */
    public static final String SKIPPED = "skipped";

    public static final Set<String> ALL = Set.of(PENDING, IN_PROGRESS, COMPLETED, SKIPPED);

    private TaskStatus() {
    }

    public static boolean closed(String status) {
        return COMPLETED.equals(status) || SKIPPED.equals(status);
    }
}
