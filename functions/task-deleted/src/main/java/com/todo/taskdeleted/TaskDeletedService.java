package com.todo.taskdeleted;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.watermark.TaskReminders;
import jakarta.inject.Singleton;

/** A deleted task: cancel its reminders and leave a tombstone, so no older update revives them. */
@Singleton
public class TaskDeletedService {

    private final TaskReminders reminders;

    public TaskDeletedService(TaskReminders reminders) {
        this.reminders = reminders;
    }

    public EventOutcome onDeleted(TaskSnapshot task) {
        return reminders.delete(task, "/task-deleted");
    }
}
