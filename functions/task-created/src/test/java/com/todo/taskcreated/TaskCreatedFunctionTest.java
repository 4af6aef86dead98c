package com.todo.taskcreated;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.function.RecordingSchedulesApi;
import com.todo.reminders.TaskFunctionTest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskCreatedFunctionTest extends TaskFunctionTest {

    @Override
    protected String function() {
        return "task-created";
    }

    @Override
    protected EventType type() {
        return EventType.TASK_CREATED;
    }

    /** Each future reminder scheduled exactly once, as reminder-&lt;id&gt; with the name-based event id; past ones not. */
    @Override
    protected void assertEffectOnce(TaskSnapshot task) {
        for (TaskSnapshot.Reminder reminder : task.reminders()) {
            List<RecordingSchedulesApi.Call> calls = callsFor(reminder.id());
            if (reminder.remindAt().isBefore(Instant.now())) {
                assertEquals(List.of(), calls, "a past reminder is not scheduled");
                continue;
            }
            assertEquals(1, calls.size(), () -> "scheduled once: " + calls);
            assertEquals("PUT", calls.get(0).method());
            try {
                JsonNode body = EventJson.MAPPER.readTree(calls.get(0).body());
                assertEquals(reminder.remindAt(), Instant.parse(body.get("dueTime").asText()));
                assertEquals("reminder-events", body.get("topic").asText());
                JsonNode event = body.get("event");
                assertEquals(EventIds.reminderDue(reminder.id(), reminder.remindAt()).toString(), event.get("id").asText());
                assertEquals("com.todo.reminder.due", event.get("type").asText());
                assertEquals(task.id().toString(), event.get("subject").asText());
                assertEquals(reminder.id().toString(), event.get("data").get("reminderId").asText());
                assertTrue(event.get("data").get("title").asText().startsWith("Task"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aReminderTheSchedulerRefusesDropsTheEventInsteadOfRetryingIt() {
        TaskSnapshot task = task(1);
        RecordingSchedulesApi.refusing(true);
        try {
            HttpResponse<String> answer = post(Deliveries.daprEnvelope(event(task)));
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("DROP", Deliveries.outcome(answer), "to the dead-letter topic: a redelivery is refused again");
        } finally {
            RecordingSchedulesApi.refusing(false);
        }
    }
}
