package com.todo.bench;

import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.events.ReminderDue;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/** What is measured: a main class or jar, the route a first request goes to, and the n-th request's body. */
record Target(String name, List<String> launch, String route, String contentType, Map<String, String> headers,
              IntFunction<byte[]> request) {

    /** A new task with one reminder, as task.created carries it. */
    static TaskSnapshot firstVersion(int n) {
        Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return new TaskSnapshot(UUID.randomUUID(), "bench", "Task " + n, null, "pending", "medium", List.of(), due,
                "UTC", List.of(new TaskSnapshot.Reminder(UUID.randomUUID(), "PT1H", null, due.minusSeconds(3600))), null,
                null, 1, Instant.now(), Instant.now(), null);
    }

    /**
     * The task's second version as the event of {@code type} carries it, each with an effect to apply: updated moves the
     * reminder an hour earlier; completed and deleted leave it for their handlers to cancel.
     */
    static TaskSnapshot secondVersion(TaskSnapshot v1, EventType type) {
        TaskSnapshot.Reminder r = v1.reminders().get(0);
        List<TaskSnapshot.Reminder> reminders = type == EventType.TASK_UPDATED
                ? List.of(new TaskSnapshot.Reminder(r.id(), "PT2H", null, r.remindAt().minusSeconds(3600)))
                : v1.reminders();
        boolean completed = type == EventType.TASK_COMPLETED;
        Instant now = Instant.now();
        return new TaskSnapshot(v1.id(), v1.userId(), v1.title(), null, completed ? "completed" : "pending", "medium",
                List.of(), v1.dueAt(), "UTC", reminders, null, null, 2, v1.createdAt(), now, completed ? now : null);
    }

    static byte[] taskEvent(EventType type, TaskSnapshot task) {
        return structured(type, UUID.randomUUID().toString(), task.id().toString(), task);
    }

    static byte[] reminderDue(UUID taskId, UUID reminderId, Instant remindAt) {
        ReminderDue data = new ReminderDue(reminderId, taskId, "bench", remindAt, null, "Bench task", 1);
        return structured(EventType.REMINDER_DUE, EventIds.reminderDue(reminderId, remindAt).toString(),
                taskId.toString(), data);
    }

    static byte[] recurringScheduled(int n) {
        UUID series = UUID.randomUUID();
        Instant at = Instant.parse("2030-01-01T09:00:00Z").plus(n, ChronoUnit.DAYS);
        RecurringScheduled data = new RecurringScheduled(series, series, EventIds.occurrence(series, at), "bench", at,
                new RecurringScheduled.Template("Bench series", null, "medium", List.of(), "UTC", List.of("PT10M"),
                        "FREQ=DAILY", at));
        return structured(EventType.RECURRING_SCHEDULED, data.nextTaskId().toString(), data.nextTaskId().toString(), data);
    }

    static byte[] newTask(int n) {
        return ("{\"title\": \"Bench " + n + "\", \"dueAt\": \"2030-01-01T09:00:00Z\", "
                + "\"reminders\": [{\"before\": \"PT10M\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] structured(EventType type, String id, String subject, Object data) {
        return StructuredEvents.serialize(StructuredEvents.build(type, id, "/bench", subject, Instant.now(),
                EventJson.bytes(data)));
    }
}
