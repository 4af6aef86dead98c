package com.todo.taskupdated;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.watermark.TaskReminders;
import jakarta.inject.Singleton;

/**
 * A changed task: reschedule moved reminders, cancel removed ones, schedule new ones — diffed against the reminder
 * set kept with the task's watermark, so an older or repeated update changes nothing.
 */
@Singleton
public class TaskUpdatedService {

    private final TaskReminders reminders;

    public TaskUpdatedService(TaskReminders reminders) {
        this.reminders = reminders;
    }

    public EventOutcome onUpdated(TaskSnapshot task) {
        return reminders.sync(task, "/task-updated");
    }
}
