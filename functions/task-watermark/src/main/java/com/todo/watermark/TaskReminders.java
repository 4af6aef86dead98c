package com.todo.watermark;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
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
     * Created or updated: the task's future reminders are scheduled (moved ones rescheduled, removed ones
     * cancelled); a reminder already past is not scheduled (D6), nor are any of a completed task.
     */
    public EventOutcome sync(TaskSnapshot task, String source) {
        return watermarks.apply(task, false, futureReminders(task), source, () -> { });
    }

    /** Completed: every reminder is cancelled, then {@code also} (the next occurrence) runs. */
    public EventOutcome cancelAll(TaskSnapshot task, String source, Runnable also) {
        return watermarks.apply(task, false, Map.of(), source, also);
    }

    /** Deleted: every reminder is cancelled and the watermark becomes a tombstone. */
    public EventOutcome delete(TaskSnapshot task, String source) {
        return watermarks.apply(task, true, Map.of(), source, () -> { });
    }

    static Map<UUID, Instant> futureReminders(TaskSnapshot task) {
        Map<UUID, Instant> future = new HashMap<>();
        if ("completed".equals(task.status())) {
            return future;
        }
        Instant now = Instant.now();
        for (TaskSnapshot.Reminder r : task.reminders()) {
            if (r.remindAt().isAfter(now)) {
                future.put(r.id(), r.remindAt());
            }
        }
        return future;
    }
}
