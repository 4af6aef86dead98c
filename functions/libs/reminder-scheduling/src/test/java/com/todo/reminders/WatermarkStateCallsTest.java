package com.todo.reminders;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What each kind of task event costs in state-store calls (each one a round trip to daprd and PostgreSQL in the
 * cluster), counted at the fake sidecar through the real Dapr state adapter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatermarkStateCallsTest {

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
    void eachEventCostsAtMostThreeStateCallsAndTheCommonOnesTwo() {
        TaskSnapshot created = TaskFunctionTest.task(1);
        assertCalls(2, "a first version: claimed without a read, then marked applied",
                () -> reminders.sync(created, "/task-created"));
        assertCalls(2, "an update that moves no reminder: read, then marked applied by the compare-and-set itself",
                () -> reminders.sync(version(created, 2, created.reminders()), "/task-updated"));
        TaskSnapshot moved = version(created, 3, List.of(moved(created.reminders().get(0)), created.reminders().get(1)));
        assertCalls(3, "an update that moves a reminder: read, claim, marked applied",
                () -> reminders.sync(moved, "/task-updated"));
        assertCalls(1, "a duplicate: read", () -> reminders.sync(moved, "/task-updated"));
        assertCalls(3, "a completion with reminders to cancel: read, claim, marked applied",
                () -> reminders.cancelAll(version(created, 4, created.reminders()), "/task-completed", null));
        assertCalls(2, "a delete with nothing left to cancel: read, tombstone",
                () -> reminders.delete(version(created, 5, created.reminders()), "/task-deleted"));
        assertCalls(1, "an update older than the delete: read",
                () -> reminders.sync(version(created, 4, created.reminders()), "/task-updated"));
    }

    @Test
    void aReplayedFirstVersionFindsTheKeyTakenAndReadsIt() {
        TaskSnapshot created = TaskFunctionTest.task(1);
        assertCalls(2, "the first delivery", () -> reminders.sync(created, "/task-created"));
        // the lost insert comes back from daprd as a generic error, so the adapter reads to tell "taken" from "down"
        assertCalls(3, "the replay: the blind claim, the adapter's read, the watermark's read",
                () -> reminders.sync(created, "/task-created"));
    }

    private void assertCalls(long expected, String what, Supplier<EventOutcome> event) {
        long before = platform.sidecarCalls();
        assertEquals(EventOutcome.SUCCESS, event.get(), what);
        assertEquals(expected, platform.sidecarCalls() - before, what);
    }

    private static TaskSnapshot.Reminder moved(TaskSnapshot.Reminder r) {
        return new TaskSnapshot.Reminder(r.id(), null, r.remindAt().minus(1, ChronoUnit.HOURS),
                r.remindAt().minus(1, ChronoUnit.HOURS));
    }

    private static TaskSnapshot version(TaskSnapshot t, long version, List<TaskSnapshot.Reminder> reminders) {
        return new TaskSnapshot(t.id(), t.userId(), t.title(), t.description(), t.status(), t.priority(), t.tags(),
                t.dueAt(), t.timeZone(), reminders, t.recurrence(), t.seriesId(), version, t.createdAt(),
                t.updatedAt().plusSeconds(version), t.completedAt());
    }
}
