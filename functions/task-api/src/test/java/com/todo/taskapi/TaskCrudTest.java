package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class TaskCrudTest extends ApiTest {

    @Test
    void createAnswers201WithLocationDefaultsAndVersionOne() {
        var response = send("POST", "/api/v1/tasks", """
                {"title": "  Buy milk  ", "tags": ["home", "home", "shop"]}""", token("alice"));
        JsonNode task = expect(201, response);
        assertEquals("/api/v1/tasks/" + task.get("id").asText(), response.headers().firstValue("Location").orElseThrow());
        assertEquals("Buy milk", task.get("title").asText());
        assertEquals("pending", task.get("status").asText());
        assertEquals("medium", task.get("priority").asText());
        assertEquals("UTC", task.get("timeZone").asText());
        assertEquals(List.of("home", "shop"), strings(task.get("tags")));
        assertEquals(1, task.get("version").asLong());
        assertTrue(task.get("completedAt").isNull());
        assertEquals(task, expect(200, send("GET", "/api/v1/tasks/" + task.get("id").asText(), null, token("alice"))));
    }

    @Test
    void beforeRemindersResolveInTheTaskTimeZoneAcrossDst() {
        // Europe/Berlin moves from CET to CEST on 2026-03-29: one calendar day before 09:00 CEST is 09:00 CET.
        JsonNode task = create("alice", """
                {"title": "Dentist", "dueAt": "2026-03-29T09:00:00+02:00", "timeZone": "Europe/Berlin",
                 "reminders": [{"before": "P1D"}, {"before": "PT24H"}, {"at": "2026-03-20T10:00:00Z"}]}""");
        JsonNode reminders = task.get("reminders");
        assertEquals("2026-03-28T08:00:00Z", reminders.get(0).get("remindAt").asText());
        assertEquals("2026-03-28T07:00:00Z", reminders.get(1).get("remindAt").asText());
        assertEquals("2026-03-20T10:00:00Z", reminders.get(2).get("remindAt").asText());
        assertEquals("2026-03-29T07:00:00Z", task.get("dueAt").asText());
    }

    @Test
    void patchMergesKeepsReminderIdsAndBumpsVersion() {
        JsonNode task = create("alice", """
                {"title": "Report", "description": "Q3", "dueAt": "2026-06-01T12:00:00Z",
                 "reminders": [{"before": "PT1H"}, {"before": "PT10M"}]}""");
        String id = task.get("id").asText();
        String keptId = task.get("reminders").get(0).get("id").asText();
        String patch = """
                {"description": null, "priority": "high",
                 "reminders": [{"id": "%s", "before": "PT2H"}, {"at": "2026-05-31T08:00:00Z"}]}""".formatted(keptId);
        JsonNode patched = expect(200, send("PATCH", "/api/v1/tasks/" + id, patch, token("alice"),
                TasksController.MERGE_PATCH));
        assertEquals("Report", patched.get("title").asText());
        assertTrue(patched.get("description").isNull());
        assertEquals("high", patched.get("priority").asText());
        assertEquals(2, patched.get("version").asLong());
        assertEquals(keptId, patched.get("reminders").get(0).get("id").asText());
        assertEquals("2026-06-01T10:00:00Z", patched.get("reminders").get(0).get("remindAt").asText());
        String newId = patched.get("reminders").get(1).get("id").asText();
        assertNotEquals(keptId, newId);
        assertNotEquals(task.get("reminders").get(1).get("id").asText(), newId);

        // A PATCH that changes nothing is no change: same version, no event.
        long events = outbox.count();
        JsonNode same = expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"priority\": \"high\"}", token("alice")));
        assertEquals(2, same.get("version").asLong());
        assertEquals(events, outbox.count());
    }

    @Test
    void completingTwiceIsOneCompletionAndPatchingBackReopens() {
        String id = create("alice", "{\"title\": \"Water plants\"}").get("id").asText();
        JsonNode done = expect(200, send("POST", "/api/v1/tasks/" + id + "/complete", null, token("alice")));
        assertEquals("completed", done.get("status").asText());
        assertFalse(done.get("completedAt").isNull());
        JsonNode again = expect(200, send("POST", "/api/v1/tasks/" + id + "/complete", null, token("alice")));
        assertEquals(done, again);
        JsonNode reopened = expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"pending\"}", token("alice")));
        assertEquals(3, reopened.get("version").asLong());
        assertTrue(reopened.get("completedAt").isNull());
        JsonNode viaPatch = expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"completed\"}", token("alice")));
        assertEquals(4, viaPatch.get("version").asLong());
        assertEquals(List.of("com.todo.task.created", "com.todo.task.completed", "com.todo.task.updated",
                "com.todo.task.completed"), outbox.findByAggregateIdOrderBySeq(id).stream().map(r -> r.type()).toList());
    }

    @Test
    void recurringTaskStoresItsSeries() {
        JsonNode task = create("alice", """
                {"title": "Standup", "dueAt": "2026-05-04T09:00:00+02:00", "timeZone": "Europe/Berlin",
                 "recurrence": {"rule": "FREQ=WEEKLY;BYDAY=MO,WE"}}""");
        assertEquals(task.get("id"), task.get("seriesId"));
        assertEquals("FREQ=WEEKLY;BYDAY=MO,WE", task.get("recurrence").get("rule").asText());
        assertEquals("2026-05-04T07:00:00Z", task.get("recurrence").get("seriesStart").asText());
    }

    @Test
    void deleteAnswers204ThenTheTaskIsGone() {
        String id = create("alice", "{\"title\": \"Temp\"}").get("id").asText();
        expect(204, send("DELETE", "/api/v1/tasks/" + id, null, token("alice")));
        expect(404, send("GET", "/api/v1/tasks/" + id, null, token("alice")));
        expect(404, send("DELETE", "/api/v1/tasks/" + id, null, token("alice")));
    }

    @Test
    void listFiltersSortsAndPages() {
        String user = "lister";
        create(user, "{\"title\": \"alpha\", \"priority\": \"low\", \"tags\": [\"work\"], \"dueAt\": \"2026-01-03T00:00:00Z\"}");
        create(user, "{\"title\": \"beta\", \"priority\": \"high\", \"dueAt\": \"2026-01-01T00:00:00Z\"}");
        create(user, "{\"title\": \"gamma\", \"description\": \"50% off\", \"tags\": [\"work\"], \"status\": \"in_progress\"}");
        create(user, "{\"title\": \"delta\", \"priority\": \"high\", \"dueAt\": \"2026-01-02T00:00:00Z\"}");

        assertEquals(List.of("alpha", "beta", "gamma", "delta"), titles(list(user, "")));
        assertEquals(List.of("beta", "delta", "alpha", "gamma"), titles(list(user, "sort=dueAt")));
        assertEquals(List.of("alpha", "delta", "beta", "gamma"), titles(list(user, "sort=-dueAt")));
        assertEquals(List.of("beta", "delta", "gamma", "alpha"), titles(list(user, "sort=priority")));
        assertEquals(List.of("alpha", "gamma"), titles(list(user, "tag=work")));
        assertEquals(List.of("gamma"), titles(list(user, "status=in_progress")));
        assertEquals(List.of("beta", "delta"), titles(list(user, "priority=high")));
        assertEquals(List.of("alpha", "delta"), titles(list(user, "dueAfter=2026-01-02T00:00:00Z")));
        assertEquals(List.of("beta", "delta"), titles(list(user, "dueBefore=2026-01-03T00:00:00Z")));
        assertEquals(List.of("gamma"), titles(list(user, "q=50%25")));
        assertEquals(List.of("gamma"), titles(list(user, "q=GAM")));

        JsonNode page = list(user, "size=3&page=1");
        assertEquals(List.of("delta"), titles(page));
        assertEquals(1, page.get("page").asInt());
        assertEquals(3, page.get("size").asInt());
        assertEquals(4, page.get("total").asLong());
    }

    @Test
    void healthAndOpenApiAreServedWithoutToken() {
        for (String probe : List.of("/health", "/health/readiness")) {
            var health = send("GET", probe, null, null);
            assertEquals(200, health.statusCode(), probe);
            assertEquals("{\"status\":\"UP\",\"checks\":[\"database\"]}", health.body(), probe + ": the database is up");
        }
        assertEquals(200, send("GET", "/health/liveness", null, null).statusCode());
        var spec = send("GET", "/swagger/todo-functions-task-api-1.yml", null, null);
        assertEquals(200, spec.statusCode());
        assertTrue(spec.body().contains("/api/v1/tasks/{id}/complete"), spec.body());
        assertEquals(200, send("GET", "/swagger-ui/index.html", null, null).statusCode());
    }

    private JsonNode list(String user, String query) {
        return expect(200, send("GET", "/api/v1/tasks?" + query, null, token(user)));
    }

    private static List<String> titles(JsonNode page) {
        List<String> titles = new ArrayList<>();
        page.get("items").forEach(t -> titles.add(t.get("title").asText()));
        return titles;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
