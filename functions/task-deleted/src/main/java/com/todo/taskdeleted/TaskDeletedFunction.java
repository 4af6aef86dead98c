package com.todo.taskdeleted;

import com.todo.events.DecodedEvent;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.reminders.TaskReminders;
import jakarta.inject.Singleton;

/** A deleted task: cancel its reminders and leave a tombstone, so no older update revives them. */
@Singleton
public class TaskDeletedFunction implements EventHandler<TaskSnapshot> {

    private final TaskReminders reminders;

    public TaskDeletedFunction(TaskReminders reminders) {
        this.reminders = reminders;
    }

    @Override
    public EventType type() {
        return EventType.TASK_DELETED;
    }

    @Override
    public EventOutcome handle(DecodedEvent<TaskSnapshot> event) {
        return reminders.delete(event.data(), source());
    }
}
