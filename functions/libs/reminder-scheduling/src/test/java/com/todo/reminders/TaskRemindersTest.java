package com.todo.reminders;

import com.todo.events.ReminderWindow;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.function.RecordingSchedulesApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watermark shared by the four task-* functions, across them: what task-deleted leaves, task-updated must
 * respect. Real Dapr state adapter against the fake sidecar; schedules recorded over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskRemindersTest {

    private RemindersOnFakeSidecar platform;
    private TaskReminders reminders;

    @BeforeAll
    void start() {
        platform = new RemindersOnFakeSidecar();
        reminders = platform.reminders();
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void anUpdateOlderThanTheDeleteNeverRevivesReminders() {
        TaskSnapshot created = TaskFunctionTest.task(1);
        assertEquals(EventOutcome.SUCCESS, reminders.sync(created, "/task-created"));
        TaskSnapshot deleted = version(created, 4);
        assertEquals(EventOutcome.SUCCESS, reminders.delete(deleted, "/task-deleted"));
        TaskSnapshot staleUpdate = version(created, 3);
        assertEquals(EventOutcome.SUCCESS, reminders.sync(staleUpdate, "/task-updated"));
        assertEquals(EventOutcome.SUCCESS, reminders.sync(created, "/task-created"), "a replayed create too");

        for (TaskSnapshot.Reminder r : created.reminders().subList(0, 2)) {
            assertEquals(List.of("PUT", "DELETE"), methods(r.id()), "scheduled by the create, cancelled by the delete");
        }
        assertTrue(RecordingSchedulesApi.schedules().keySet().stream()
                .noneMatch(name -> created.reminders().stream().anyMatch(r -> name.endsWith(r.id().toString()))));
    }

    @Test
    void aStaleUpdateRacingTheDeleteNeverRevivesReminders() throws Exception {
        for (int round = 0; round < 15; round++) {
            TaskSnapshot created = TaskFunctionTest.task(1);
            assertEquals(EventOutcome.SUCCESS, reminders.sync(created, "/task-created"));
            CompletableFuture<EventOutcome> update = CompletableFuture.supplyAsync(
                    () -> settle(() -> reminders.sync(version(created, 3), "/task-updated")));
            CompletableFuture<EventOutcome> delete = CompletableFuture.supplyAsync(
                    () -> settle(() -> reminders.delete(version(created, 4), "/task-deleted")));
            assertEquals(EventOutcome.SUCCESS, update.get());
            assertEquals(EventOutcome.SUCCESS, delete.get());
            for (TaskSnapshot.Reminder r : created.reminders()) {
                assertTrue(!RecordingSchedulesApi.schedules().containsKey(ReminderJobs.name(r.id().toString())),
                        "round " + round + ": " + methods(r.id()));
            }
        }
    }

    @Test
    void aReminderThatPassedWhileItsWriteWaitedIsScheduledAndAnOlderOneIsHistory() {
        // written an hour ago and handled only now, as after an outage: the rule is judged at the write
        Instant written = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        TaskSnapshot base = TaskFunctionTest.task(1);
        TaskSnapshot.Reminder late = new TaskSnapshot.Reminder(UUID.randomUUID(), null, written.minusSeconds(20),
                written.minusSeconds(20));
        TaskSnapshot.Reminder history = new TaskSnapshot.Reminder(UUID.randomUUID(), null,
                written.minus(ReminderWindow.LATE).minusSeconds(1), written.minus(ReminderWindow.LATE).minusSeconds(1));
        TaskSnapshot.Reminder ahead = new TaskSnapshot.Reminder(UUID.randomUUID(), null, written.plusSeconds(60),
                written.plusSeconds(60));
        TaskSnapshot task = new TaskSnapshot(base.id(), base.userId(), base.title(), null, "pending", "medium", List.of(),
                null, "UTC", List.of(late, history, ahead), null, null, 1, written, written, null);

        assertEquals(EventOutcome.SUCCESS, reminders.sync(task, "/task-created"));

        assertEquals(List.of("PUT"), methods(late.id()), "passed 20 s before the write: fires at once");
        assertEquals(List.of("PUT"), methods(ahead.id()), "ahead at the write, though past now: fires at once");
        assertEquals(List.of(), methods(history.id()), "passed more than the window before the write: never");
    }

    private static EventOutcome settle(java.util.function.Supplier<EventOutcome> delivery) {
        for (int i = 0; i < 100; i++) {
            EventOutcome outcome = delivery.get();
            if (outcome != EventOutcome.RETRY) {
                return outcome;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return EventOutcome.RETRY;
    }

    private static TaskSnapshot version(TaskSnapshot t, long version) {
        return new TaskSnapshot(t.id(), t.userId(), t.title() + " v" + version, t.description(), t.status(), t.priority(),
                t.tags(), t.dueAt(), t.timeZone(), t.reminders(), t.recurrence(), t.seriesId(), version, t.createdAt(),
                Instant.now(), t.completedAt());
    }

    private static List<String> methods(UUID reminderId) {
        return RecordingSchedulesApi.calls().stream().filter(c -> c.name().equals(ReminderJobs.name(reminderId.toString())))
                .map(RecordingSchedulesApi.Call::method).toList();
    }
}
