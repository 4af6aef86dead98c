package com.todo.taskupdated;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.function.RecordingSchedulesApi;
import com.todo.reminders.ReminderJobs;
import com.todo.reminders.TaskFunctionTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TaskUpdatedFunctionTest extends TaskFunctionTest {

    @Override
    protected String function() {
        return "task-updated";
    }

    @Override
    protected EventType type() {
        return EventType.TASK_UPDATED;
    }

    @Override
    protected void assertEffectOnce(TaskSnapshot task) {
        for (TaskSnapshot.Reminder reminder : task.reminders()) {
            int expected = reminder.remindAt().isAfter(Instant.now()) ? 1 : 0;
            assertEquals(expected, callsFor(reminder.id()).size(), () -> "once per version: " + callsFor(reminder.id()));
        }
    }

    @Test
    void movedRemindersAreRescheduledRemovedOnesCancelledNewOnesScheduled() throws Exception {
        UUID id = UUID.randomUUID();
        Instant due = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        UUID kept = UUID.randomUUID();
        UUID removed = UUID.randomUUID();
        UUID added = UUID.randomUUID();
        TaskSnapshot v1 = withReminders(task(id, 1, due), List.of(
                new TaskSnapshot.Reminder(kept, "PT1H", null, due.minusSeconds(3600)),
                new TaskSnapshot.Reminder(removed, "PT2H", null, due.minusSeconds(7200))));
        TaskSnapshot v2 = withReminders(task(id, 2, due), List.of(
                new TaskSnapshot.Reminder(kept, "PT30M", null, due.minusSeconds(1800)),
                new TaskSnapshot.Reminder(added, null, due.minusSeconds(60), due.minusSeconds(60))));
        assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.daprEnvelope(event(v1))));
        assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.daprEnvelope(event(v2))));

        assertEquals(List.of("PUT", "PUT"), callsFor(kept).stream().map(RecordingSchedulesApi.Call::method).toList());
        assertEquals(due.minusSeconds(1800), dueTime(kept));
        assertEquals(List.of("PUT", "DELETE"), callsFor(removed).stream().map(RecordingSchedulesApi.Call::method).toList());
        assertEquals(1, callsFor(added).size());
    }

    @Test
    void version5Then3LeavesTheRemindersOfVersion5() throws Exception {
        UUID id = UUID.randomUUID();
        TaskSnapshot v5 = version(id, 5, 10);
        TaskSnapshot v3 = version(id, 3, 20);
        assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.daprEnvelope(event(v5))));
        assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.daprEnvelope(event(v3))));
        assertRemindersOf(v5);
        assertEquals(1, callsFor(v5.reminders().get(0).id()).size(), "the stale update scheduled nothing");
    }

    @Test
    void version5And3ConcurrentlyAlwaysLeaveTheRemindersOfVersion5() throws Exception {
        for (int round = 0; round < 15; round++) {
            UUID id = UUID.randomUUID();
            TaskSnapshot v5 = version(id, 5, 10);
            TaskSnapshot v3 = version(id, 3, 20);
            CompletableFuture<String> older = CompletableFuture.supplyAsync(() -> settle(v3));
            CompletableFuture<String> newer = CompletableFuture.supplyAsync(() -> settle(v5));
            assertEquals("SUCCESS", older.get());
            assertEquals("SUCCESS", newer.get());
            assertRemindersOf(v5);
        }
    }

    /** A version whose single reminder fires {@code minutes} before the due time. */
    private static TaskSnapshot version(UUID id, long version, long minutes) {
        Instant due = Instant.parse("2030-06-01T12:00:00Z");
        UUID reminder = UUID.nameUUIDFromBytes((id + "/r").getBytes());
        return withReminders(task(id, version, due),
                List.of(new TaskSnapshot.Reminder(reminder, "PT" + minutes + "M", null, due.minusSeconds(minutes * 60))));
    }

    private String settle(TaskSnapshot task) {
        try {
            return redeliverUntilSettled(Deliveries.daprEnvelope(event(task)));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertRemindersOf(TaskSnapshot task) throws IOException {
        for (TaskSnapshot.Reminder reminder : task.reminders()) {
            assertFalse(RecordingSchedulesApi.schedules().get(ReminderJobs.name(reminder.id().toString())) == null,
                    "scheduled");
            assertEquals(reminder.remindAt(), dueTime(reminder.id()));
        }
    }

    private static Instant dueTime(UUID reminderId) throws IOException {
        String body = RecordingSchedulesApi.schedules().get(ReminderJobs.name(reminderId.toString()));
        assertFalse(body == null, "no schedule for " + reminderId);
        JsonNode schedule = EventJson.MAPPER.readTree(body);
        return Instant.parse(schedule.get("dueTime").asText());
    }

}
