package com.todo.taskcreated;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.watermark.TaskReminders;
import jakarta.inject.Singleton;

/** A new task: schedule its future reminders, once for its version. */
@Singleton
public class TaskCreatedService {

    private final TaskReminders reminders;

    public TaskCreatedService(TaskReminders reminders) {
        this.reminders = reminders;
    }

    public EventOutcome onCreated(TaskSnapshot task) {
        return reminders.sync(task, "/task-created");
    }
}
