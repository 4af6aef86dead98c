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

    static byte[] taskEvent(EventType type, int n) {
        UUID id = UUID.randomUUID();
        Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        TaskSnapshot task = new TaskSnapshot(id, "bench", "Task " + n, null, "pending", "medium", List.of(), due, "UTC",
                List.of(new TaskSnapshot.Reminder(UUID.randomUUID(), "PT1H", null, due.minusSeconds(3600))), null, null,
                1, Instant.now(), Instant.now(), null);
        return structured(type, id.toString(), id.toString(), task);
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
