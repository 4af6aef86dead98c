package com.todo.reminders;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.function.RecordingSchedulesApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The watermark's rules (architecture D5, D6) as given/when/then: given the events a task's functions have applied,
 * when one more arrives, then these schedule calls are made for its reminders — and no others. Each rule on a task
 * of its own, through the real state adapter against the fake sidecar; the schedules recorded over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatermarkRulesTest {

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
    void aReplayedCreateSchedulesNothingMore() {
        Spec task = new Spec();
        task.given(task.created(1, "A", "B"))
                .when(task.created(1, "A", "B"))
                .then("A").then("B");
    }

    @Test
    void anOlderUpdateThanTheAppliedOneChangesNothing() {
        Spec task = new Spec();
        task.given(task.created(1, "A"), task.updated(5, "pending", "A", "B"))
                .when(task.updated(3, "pending"))
                .then("A").then("B");
    }

    @Test
    void anUpdateReschedulesAMovedReminderCancelsARemovedOneAndSchedulesANewOne() {
        Spec task = new Spec();
        task.given(task.created(1, "A", "B"))
                .when(task.updated(2, "pending", "A moved", "C"))
                .then("A", "PUT").then("B", "DELETE").then("C", "PUT");
    }

    @Test
    void noUpdateOlderThanTheDeleteRevivesAReminder() {
        Spec task = new Spec();
        task.given(task.created(1, "A"), task.deleted(4))
                .when(task.updated(3, "pending", "A", "B"))
                .then("A").then("B");
    }

    @Test
    void completingCancelsEveryReminderAndReopeningSchedulesThemAgain() {
        Spec task = new Spec();
        task.given(task.created(1, "A", "B"))
                .when(task.completed(2))
                .then("A", "DELETE").then("B", "DELETE");
        task.when(task.updated(3, "pending", "A", "B"))
                .then("A", "PUT").then("B", "PUT");
    }

    @Test
    void anUpdateOfACompletedTaskSchedulesNothing() {
        Spec task = new Spec();
        task.given(task.created(1, "A"), task.completed(2))
                .when(task.updated(3, "completed", "A", "B"))
                .then("A").then("B");
    }

    @Test
    void anUpdateOfASkippedOccurrenceSchedulesNothingAndReopeningItSchedulesAgain() {
        Spec task = new Spec();
        task.given(task.created(1, "A"), task.updated(2, "skipped", "A"))
                .when(task.updated(3, "skipped", "A", "B"))
                .then("A").then("B");
        task.when(task.updated(4, "pending", "A", "B"))
                .then("A", "PUT").then("B", "PUT");
    }

    /** One task's story. Reminders are named; "X moved" is X an hour earlier. */
    private final class Spec {
        private final UUID id = UUID.randomUUID();
        private final Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        private int mark;

        /** An event as the function that handles it applies it to the watermark. */
        private record Event(String name, Function<TaskReminders, EventOutcome> apply) {
        }

        Event created(long version, String... reminderNames) {
            TaskSnapshot task = snapshot(version, "pending", reminderNames);
            return new Event("created v" + version, r -> r.sync(task, "/spec"));
        }

        Event updated(long version, String status, String... reminderNames) {
            TaskSnapshot task = snapshot(version, status, reminderNames);
            return new Event("updated v" + version, r -> r.sync(task, "/spec"));
        }

        Event completed(long version) {
            TaskSnapshot task = snapshot(version, "completed");
            return new Event("completed v" + version, r -> r.cancelAll(task, "/spec", null));
        }

        Event deleted(long version) {
            TaskSnapshot task = snapshot(version, "pending");
            return new Event("deleted v" + version, r -> r.delete(task, "/spec"));
        }

        Spec given(Event... events) {
            for (Event event : events) {
                assertEquals(EventOutcome.SUCCESS, event.apply().apply(reminders), "given " + event.name());
            }
            return this;
        }

        Spec when(Event event) {
            mark = RecordingSchedulesApi.calls().size();
            assertEquals(EventOutcome.SUCCESS, event.apply().apply(reminders), "when " + event.name());
            return this;
        }

        /** The schedule calls for the named reminder since {@link #when}, in order (none if none are named). */
        Spec then(String reminder, String... methods) {
            List<RecordingSchedulesApi.Call> calls = RecordingSchedulesApi.calls();
            List<String> made = new ArrayList<>();
            for (RecordingSchedulesApi.Call call : calls.subList(mark, calls.size())) {
                if (call.name().equals(ReminderJobs.name(reminderId(reminder).toString()))) {
                    made.add(call.method());
                }
            }
            assertEquals(Arrays.asList(methods), made, "then reminder " + reminder);
            return this;
        }

        private TaskSnapshot snapshot(long version, String status, String... reminderNames) {
            List<TaskSnapshot.Reminder> list = Arrays.stream(reminderNames).map(name -> {
                Instant at = due.minus(name.endsWith(" moved") ? 2 : 1, ChronoUnit.HOURS);
                return new TaskSnapshot.Reminder(reminderId(name), null, at, at);
            }).toList();
            Instant written = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return new TaskSnapshot(id, "alice", "Task v" + version, null, status, "medium", List.of(), due, "UTC",
                    list, null, null, version, written, written, null);
        }

        private UUID reminderId(String name) {
            return UUID.nameUUIDFromBytes((id + "/" + name.replace(" moved", "")).getBytes());
        }
    }
}
