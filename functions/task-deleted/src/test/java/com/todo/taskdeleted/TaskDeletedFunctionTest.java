package com.todo.taskdeleted;

import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.function.RecordingSchedulesApi;
import com.todo.function.StateStore;
import com.todo.reminders.TaskFunctionTest;
import com.todo.reminders.TaskWatermarks;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskDeletedFunctionTest extends TaskFunctionTest {

    @Override
    protected String function() {
        return "task-deleted";
    }

    @Override
    protected EventType type() {
        return EventType.TASK_DELETED;
    }

    /** Nothing scheduled for a deleted task, and the watermark is a tombstone at its version. */
    @Override
    protected void assertEffectOnce(TaskSnapshot task) {
        for (TaskSnapshot.Reminder reminder : task.reminders()) {
            assertTrue(callsFor(reminder.id()).stream().noneMatch(c -> c.method().equals("PUT")));
        }
        String watermark = new String(sidecar.state().get(TaskWatermarks.key(task.id())).value());
        assertTrue(watermark.contains("\"deleted\":true"), watermark);
        assertTrue(watermark.contains("\"version\":" + task.version()), watermark);
    }

    @Test
    void cancelsTheRemindersTheTaskHadScheduled() throws Exception {
        TaskSnapshot task = task(2);
        TaskSnapshot.Reminder first = task.reminders().get(0);
        TaskSnapshot.Reminder second = task.reminders().get(1);
        // the watermark as task-created left it: version 1 applied with two reminders scheduled
        String applied = "{\"version\":1,\"applied\":true,\"deleted\":false,\"claimedAt\":\"2026-01-01T00:00:00Z\","
                + "\"before\":{},\"desired\":{\"" + first.id() + "\":\"" + first.remindAt() + "\",\"" + second.id()
                + "\":\"" + second.remindAt() + "\"}}";
        server.getApplicationContext().getBean(StateStore.class).save(TaskWatermarks.key(task.id()),
                applied.getBytes(), null);

        assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.daprEnvelope(event(task))));
        assertEquals(List.of("DELETE"), callsFor(first.id()).stream().map(RecordingSchedulesApi.Call::method).toList());
        assertEquals(List.of("DELETE"), callsFor(second.id()).stream().map(RecordingSchedulesApi.Call::method).toList());
        Map<?, ?> watermark = EventJson.MAPPER.readValue(sidecar.state().get(TaskWatermarks.key(task.id())).value(), Map.class);
        assertEquals(Map.of(), watermark.get("desired"));
        assertEquals(Boolean.TRUE, watermark.get("deleted"));
        assertTrue(Instant.parse((String) watermark.get("claimedAt")).isAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }
}
