package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.domain.OutboxRow;
import io.cloudevents.CloudEvent;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each change commits exactly one outbox row: a complete CloudEvent valid against its event-catalog schema. */
@MicronautTest(transactional = false)
class OutboxEventsTest extends ApiTest {

    @Test
    void everyChangeCommitsExactlyOneValidCloudEvent() throws IOException {
        JsonNode task = create("alice", """
                {"title": "Pay rent", "dueAt": "2026-07-01T09:00:00+02:00", "timeZone": "Europe/Berlin",
                 "tags": ["home"], "reminders": [{"before": "P1D"}], "recurrence": {"rule": "FREQ=MONTHLY;BYMONTHDAY=1"}}""");
        String id = task.get("id").asText();
        assertEvents(id, List.of(EventType.TASK_CREATED), 1);

        expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"title\": \"Pay the rent\"}", token("alice")));
        assertEvents(id, List.of(EventType.TASK_CREATED, EventType.TASK_UPDATED), 2);

        expect(200, send("POST", "/api/v1/tasks/" + id + "/complete", null, token("alice")));
        assertEvents(id, List.of(EventType.TASK_CREATED, EventType.TASK_UPDATED, EventType.TASK_COMPLETED), 3);

        expect(204, send("DELETE", "/api/v1/tasks/" + id, null, token("alice")));
        assertEvents(id, List.of(EventType.TASK_CREATED, EventType.TASK_UPDATED, EventType.TASK_COMPLETED,
                EventType.TASK_DELETED), 4);
    }

    private void assertEvents(String taskId, List<EventType> expected, long lastVersion) throws IOException {
        List<OutboxRow> rows = outbox.findByAggregateIdOrderBySeq(taskId);
        assertEquals(expected.stream().map(EventType::type).toList(), rows.stream().map(OutboxRow::type).toList());
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            EventType type = expected.get(i);
            CloudEvent event = StructuredEvents.deserialize(row.payload().getBytes(StandardCharsets.UTF_8));
            assertEquals(row.eventId(), event.getId());
            assertEquals(type.type(), event.getType());
            assertEquals(type.topic(), row.topic());
            assertEquals(taskId, event.getSubject());
            assertEquals("/task-api", event.getSource().toString());
            assertEquals("application/json", event.getDataContentType());
            assertEquals(type.dataSchema(), event.getDataSchema());
            JsonNode data = JSON.readTree(event.getData().toBytes());
            assertEquals(List.of(), EventSchemas.violations(type, data), () -> "data: " + data);
            assertEquals(taskId, data.get("id").asText());
            assertEquals(i + 1L, data.get("version").asLong());
            assertEquals("alice", data.get("userId").asText());
        }
        assertEquals(lastVersion, JSON.readTree(StructuredEvents.deserialize(
                rows.get(rows.size() - 1).payload().getBytes(StandardCharsets.UTF_8)).getData().toBytes())
                .get("version").asLong());
        assertTrue(rows.stream().map(OutboxRow::eventId).distinct().count() == rows.size(), "event ids are unique");
    }
}
