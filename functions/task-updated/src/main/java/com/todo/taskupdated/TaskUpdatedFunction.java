package com.todo.taskupdated;

import com.todo.events.DecodedEvent;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.reminders.TaskReminders;
import jakarta.inject.Singleton;

/**
 * A changed task: reschedule moved reminders, cancel removed ones, schedule new ones — diffed against the reminder
 * set kept with the task's watermark, so an older or repeated update changes nothing.
 */
@Singleton
public class TaskUpdatedFunction implements EventHandler<TaskSnapshot> {

    private final TaskReminders reminders;

    public TaskUpdatedFunction(TaskReminders reminders) {
        this.reminders = reminders;
    }

    @Override
    public EventType type() {
        return EventType.TASK_UPDATED;
    }

    @Override
    public EventOutcome handle(DecodedEvent<TaskSnapshot> event) {
        return reminders.sync(event.data(), source());
    }
}
