package com.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode snapshot() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"id": "0b7e9a5c-3f1e-4c1b-9a0e-2d7c4b8e6f10", "userId": "alice", "title": "Pay rent",
                 "description": null, "status": "pending", "priority": "medium", "tags": ["home"],
                 "dueAt": "2026-07-01T07:00:00Z", "timeZone": "Europe/Berlin",
                 "reminders": [{"id": "5e0c1a2b-8d4f-4e6a-b1c3-9f2e7d6a5b40", "before": "P1D", "at": null,
                                "remindAt": "2026-06-30T07:00:00Z"}],
                 "recurrence": {"rule": "FREQ=MONTHLY;BYMONTHDAY=1", "seriesStart": "2026-07-01T07:00:00Z"},
                 "seriesId": "0b7e9a5c-3f1e-4c1b-9a0e-2d7c4b8e6f10", "version": 1,
                 "createdAt": "2026-06-01T10:00:00Z", "updatedAt": "2026-06-01T10:00:00Z", "completedAt": null}""");
    }

    @Test
    void aCompleteSnapshotIsValidForEveryTaskEvent() throws Exception {
        for (EventType type : List.of(EventType.TASK_CREATED, EventType.TASK_UPDATED, EventType.TASK_COMPLETED,
                EventType.TASK_DELETED)) {
            assertEquals(List.of(), EventSchemas.violations(type, snapshot()), type.type());
        }
    }

    @Test
    void aViolationNamesTheFailingField() throws Exception {
        ObjectNode data = snapshot();
        data.put("title", "x".repeat(201));
        data.put("priority", "urgent");
        ((ObjectNode) data.get("reminders").get(0)).put("remindAt", "yesterday");
        List<String> violations = EventSchemas.violations(EventType.TASK_CREATED, data);
        assertEquals(3, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("/priority"), violations::toString);
        assertTrue(violations.get(1).startsWith("/reminders/0/remindAt"), violations::toString);
        assertTrue(violations.get(2).startsWith("/title"), violations::toString);
    }

    @Test
    void missingAndUnknownFieldsAreViolations() throws Exception {
        ObjectNode data = snapshot();
        data.remove("version");
        data.put("colour", "red");
        List<String> violations = EventSchemas.violations(EventType.TASK_UPDATED, data);
        assertTrue(violations.stream().anyMatch(v -> v.contains("version")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("colour")), violations::toString);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasItsSchemaNamedByDataschema(EventType type) throws Exception {
        try (var in = EventType.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertNotNull(in, type.schemaResource());
            JsonNode schema = JSON.readTree(in);
            assertEquals(type.dataSchema().toString(), schema.get("$id").asText());
        }
        assertTrue(type.dataSchema().isAbsolute());
        assertFalse(EventSchemas.violations(type, JSON.createObjectNode()).isEmpty(), "an empty object is not valid");
        assertEquals(type, EventType.ofType(type.type()).orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasAnExampleThatIsValidAndDecodesToItsJavaType(EventType type) throws Exception {
        JsonNode example = EventSchemas.example(type);
        assertEquals(List.of(), EventSchemas.violations(type, example), type.type());
        assertEquals(type.dataType(), EventJson.MAPPER.treeToValue(example, type.dataType()).getClass());
    }

    @Test
    void everyTypeButNotificationSentHasAHandlingFunction() {
        for (EventType type : EventType.values()) {
            assertEquals(type != EventType.NOTIFICATION_SENT, type.handler().isPresent(), type.type());
        }
        assertEquals("task-created", EventType.TASK_CREATED.handler().orElseThrow());
        assertEquals("task-events", EventType.TASK_DELETED.topic());
    }
}
