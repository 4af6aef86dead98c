package com.todo.taskcreated;

import com.todo.events.DecodedEvent;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.reminders.TaskReminders;
import jakarta.inject.Singleton;

/** A new task: schedule its future reminders, once for its version. */
@Singleton
public class TaskCreatedFunction implements EventHandler<TaskSnapshot> {

    private final TaskReminders reminders;

    public TaskCreatedFunction(TaskReminders reminders) {
        this.reminders = reminders;
    }

    @Override
    public EventType type() {
        return EventType.TASK_CREATED;
    }

    @Override
    public EventOutcome handle(DecodedEvent<TaskSnapshot> event) {
        return reminders.sync(event.data(), source());
    }
}
