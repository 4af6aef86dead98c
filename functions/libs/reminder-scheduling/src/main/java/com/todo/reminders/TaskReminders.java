package com.todo.reminders;

import com.todo.events.ReminderWindow;
import com.todo.events.TaskSnapshot;
import com.todo.events.TaskStatus;
import com.todo.function.EventOutcome;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** What the task-* functions do with reminders, on top of the watermark. */
@Singleton
public class TaskReminders {

    private final TaskWatermarks watermarks;

    public TaskReminders(TaskWatermarks watermarks) {
        this.watermarks = watermarks;
    }

    /**
     * Created or updated: the task's reminders that fire ({@link ReminderWindow}) are scheduled (moved ones
     * rescheduled, removed ones cancelled; one whose time has passed fires at once), none of a completed task.
     */
    public EventOutcome sync(TaskSnapshot task, String source) {
        return watermarks.apply(task, false, remindersThatFire(task), source, null);
    }

    /** Completed: every reminder is cancelled, then {@code also} (the next occurrence, if there is one) runs. */
    public EventOutcome cancelAll(TaskSnapshot task, String source, @Nullable Runnable also) {
        return watermarks.apply(task, false, Map.of(), source, also);
    }

    /** Deleted: every reminder is cancelled and the watermark becomes a tombstone. */
    public EventOutcome delete(TaskSnapshot task, String source) {
        return watermarks.apply(task, true, Map.of(), source, null);
    }

    static Map<UUID, Instant> remindersThatFire(TaskSnapshot task) {
        Map<UUID, Instant> fire = new HashMap<>();
        if (TaskStatus.closed(task.status())) {
            return fire;
        }
        for (TaskSnapshot.Reminder r : task.reminders()) {
            // against the write, not now: an event handled late still schedules what the user was promised
            if (ReminderWindow.fires(r.remindAt(), task.updatedAt())) {
                fire.put(r.id(), r.remindAt());
            }
        }
        return fire;
    }
}
