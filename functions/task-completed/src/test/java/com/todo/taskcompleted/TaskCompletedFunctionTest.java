package com.todo.taskcompleted;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.fake.FakeDaprSidecar;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.reminders.TaskFunctionTest;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskCompletedFunctionTest extends TaskFunctionTest {

    @Override
    protected String function() {
        return "task-completed";
    }

    @Override
    protected EventType type() {
        return EventType.TASK_COMPLETED;
    }

    /** Nothing scheduled; a non-recurring task publishes nothing. */
    @Override
    protected void assertEffectOnce(TaskSnapshot task) {
        for (TaskSnapshot.Reminder reminder : task.reminders()) {
            assertTrue(callsFor(reminder.id()).stream().noneMatch(c -> c.method().equals("PUT")));
        }
        assertTrue(published(task.id().toString()).isEmpty());
    }

    @Test
    void aRecurringTaskCompletedTwentyTimesTenAtOncePublishesItsNextOccurrenceOnce() throws Exception {
        UUID id = UUID.randomUUID();
        Instant due = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(1, ChronoUnit.HOURS);
        TaskSnapshot t = task(id, 4, due);
        TaskSnapshot completed = new TaskSnapshot(id, "alice", "Standup", "daily", "completed", "high", List.of("work"),
                due, "Europe/Berlin", t.reminders(), new TaskSnapshot.Recurrence("FREQ=DAILY", due.minus(3, ChronoUnit.DAYS)),
                id, 4, t.createdAt(), t.updatedAt(), Instant.now());
        byte[] event = event(completed);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Deliveries.Delivery delivery = Deliveries.of(event).get(i % 3);
                outcomes.add(pool.submit(() -> redeliverUntilSettled(delivery)));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals("SUCCESS", outcome.get());
            }
        } finally {
            pool.shutdown();
        }

        Instant next = due.plus(1, ChronoUnit.DAYS);
        UUID nextId = EventIds.occurrence(id, next);
        List<FakeDaprSidecar.Published> published = published(nextId.toString());
        assertEquals(1, published.size(), "published once");
        FakeDaprSidecar.Published p = published.get(0);
        assertEquals("recurring-events", p.topic());
        assertEquals(nextId.toString(), p.metadata().get("partitionKey"));
        CloudEvent scheduled = StructuredEvents.deserialize(p.data());
        assertEquals("com.todo.recurring.scheduled", scheduled.getType());
        JsonNode data = EventJson.MAPPER.readTree(scheduled.getData().toBytes());
        assertEquals(List.of(), EventSchemas.violations(EventType.RECURRING_SCHEDULED, data));
        assertEquals(next, Instant.parse(data.get("occurrenceAt").asText()));
        assertEquals(nextId.toString(), data.get("nextTaskId").asText());
        assertEquals(id.toString(), data.get("seriesId").asText());
        assertEquals("FREQ=DAILY", data.get("template").get("rule").asText());
        assertEquals(List.of("PT1H", "P1D"), strings(data.get("template").get("reminderOffsets")));
    }

    private List<FakeDaprSidecar.Published> published(String subject) {
        return sidecar.published().stream()
                .filter(p -> subject.equals(StructuredEvents.deserialize(p.data()).getSubject())).toList();
    }

    private static List<String> strings(JsonNode array) throws IOException {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
