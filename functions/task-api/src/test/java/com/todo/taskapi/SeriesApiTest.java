package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.domain.OutboxRow;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series through the API: skipping an occurrence closes it as one com.todo.task.completed (status skipped), so
 * task-completed creates the next one as for a completion; removing the rule ends the series after this occurrence.
 * The next occurrences themselves are created by the functions (LocalModeE2ETest, ClusterEndToEndTest).
 */
@MicronautTest(transactional = false)
class SeriesApiTest extends ApiTest {

    private static final String DAILY = """
            {"title": "Standup", "dueAt": "2030-03-29T09:00:00+01:00", "timeZone": "Europe/Berlin",
             "recurrence": {"rule": "FREQ=DAILY"}, "reminders": [{"before": "PT10M"}]}""";

    @Test
    void tenConcurrentSkipsCloseTheOccurrenceOnceAsOneCompletedEventWithStatusSkipped() throws Exception {
        String id = create("sam", DAILY).get("id").asText();
        List<HttpResponse<String>> answers = concurrently(10,
                () -> send("POST", "/api/v1/tasks/" + id + "/skip", null, token("sam")));
        Set<String> bodies = new HashSet<>();
        for (HttpResponse<String> answer : answers) {
            JsonNode skipped = expect(200, answer);
            assertEquals("skipped", skipped.get("status").asText());
            assertEquals(2, skipped.get("version").asLong(), "one change, however many asked");
            assertTrue(skipped.get("completedAt").isNull(), "skipped is not completed");
            assertEquals("\"2\"", answer.headers().firstValue("ETag").orElseThrow());
            bodies.add(answer.body());
        }
        assertEquals(1, bodies.size(), "every caller sees the same skipped task");
        List<OutboxRow> events = outbox.findByAggregateIdOrderBySeq(id);
        assertEquals(List.of("com.todo.task.created", "com.todo.task.completed"), types(events));
        assertTrue(events.get(1).payload().contains("\"status\":\"skipped\""), events.get(1).payload());
    }

    @Test
    void skippingIsOnlyForAnOpenOccurrenceOfASeriesAndARefusalChangesNothing() {
        String plain = create("sam", "{\"title\": \"Once\", \"dueAt\": \"2030-01-01T09:00:00Z\"}").get("id").asText();
        JsonNode problem = expect(422, send("POST", "/api/v1/tasks/" + plain + "/skip", null, token("sam")));
        assertEquals("status", problem.get("errors").get(0).get("field").asText(), problem.toString());
        expect(422, send("PATCH", "/api/v1/tasks/" + plain, "{\"status\": \"skipped\"}", token("sam")));

        String done = create("sam", DAILY).get("id").asText();
        expect(200, send("POST", "/api/v1/tasks/" + done + "/complete", null, token("sam")));
        problem = expect(422, send("POST", "/api/v1/tasks/" + done + "/skip", null, token("sam")));
        assertTrue(problem.get("errors").get(0).get("message").asText().contains("completed"), problem.toString());

        expect(422, send("POST", "/api/v1/tasks", DAILY.replace("{\"title\"", "{\"status\": \"skipped\", \"title\""),
                token("sam")));
        expect(404, send("POST", "/api/v1/tasks/" + done + "/skip", null, token("someone-else")));
        expect(401, send("POST", "/api/v1/tasks/" + done + "/skip", null, null));

        assertEquals(1, expect(200, send("GET", "/api/v1/tasks/" + plain, null, token("sam"))).get("version").asLong());
        assertEquals(List.of("com.todo.task.created"), types(outbox.findByAggregateIdOrderBySeq(plain)));
        assertEquals(List.of("com.todo.task.created", "com.todo.task.completed"),
                types(outbox.findByAggregateIdOrderBySeq(done)));
    }

    @Test
    void patchingToSkippedSkipsAndMovingBetweenClosedStatusesOrReopeningIsAnUpdate() {
        String id = create("sam", DAILY).get("id").asText();
        expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"skipped\"}", token("sam")));
        JsonNode doneAfterAll = expect(200, send("POST", "/api/v1/tasks/" + id + "/complete", null, token("sam")));
        assertEquals("completed", doneAfterAll.get("status").asText());
        assertTrue(doneAfterAll.get("completedAt").isTextual(), "completed now: " + doneAfterAll);
        JsonNode reopened = expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"pending\"}", token("sam")));
        assertTrue(reopened.get("completedAt").isNull());
        // the series went on when the occurrence was first closed: changing how it is closed does not close it again
        assertEquals(List.of("com.todo.task.created", "com.todo.task.completed", "com.todo.task.updated",
                "com.todo.task.updated"), types(outbox.findByAggregateIdOrderBySeq(id)));
    }

    @Test
    void aSkipWithAnIdempotencyKeyOrIfMatchAnswersLikeACompletion() {
        String id = create("sam", DAILY).get("id").asText();
        expect(412, send("POST", "/api/v1/tasks/" + id + "/skip", null, "application/json",
                "Authorization", "Bearer " + token("sam"), "If-Match", "\"7\""));
        JsonNode first = expect(200, send("POST", "/api/v1/tasks/" + id + "/skip", null, "application/json",
                "Authorization", "Bearer " + token("sam"), "If-Match", "\"1\"", "Idempotency-Key", "skip-1"));
        expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"pending\"}", token("sam")));
        assertEquals(first, expect(200, send("POST", "/api/v1/tasks/" + id + "/skip", null, "application/json",
                "Authorization", "Bearer " + token("sam"), "Idempotency-Key", "skip-1")), "a retry gets the first answer");
        assertEquals("pending", expect(200, send("GET", "/api/v1/tasks/" + id, null, token("sam")))
                .get("status").asText(), "and changes nothing");
    }

    @Test
    void tenConcurrentRemovalsOfTheRuleEndTheSeriesAfterThisOccurrenceOnce() throws Exception {
        String id = create("eve", DAILY).get("id").asText();
        for (HttpResponse<String> answer : concurrently(10, () -> send("PATCH", "/api/v1/tasks/" + id,
                "{\"recurrence\": null}", token("eve"), TasksController.MERGE_PATCH))) {
            JsonNode ended = expect(200, answer);
            assertTrue(ended.get("recurrence").isNull());
            assertEquals(id, ended.get("seriesId").asText(), "the occurrence stays in its series");
            assertEquals(2, ended.get("version").asLong(), "one change, however many asked");
        }
        assertEquals(List.of("com.todo.task.created", "com.todo.task.updated"),
                types(outbox.findByAggregateIdOrderBySeq(id)));
        assertEquals(0, expect(200, send("GET", "/api/v1/tasks/" + id + "/occurrences", null, token("eve")))
                .get("items").size(), "nothing comes after it");
        expect(422, send("POST", "/api/v1/tasks/" + id + "/skip", null, token("eve")));
    }

    @Test
    void anUntilInTheRuleEndsTheSeriesThere() {
        String id = create("eve", DAILY).get("id").asText();
        expect(200, send("PATCH", "/api/v1/tasks/" + id,
                "{\"recurrence\": {\"rule\": \"FREQ=DAILY;UNTIL=20300401T070000Z\"}}", token("eve")));
        JsonNode preview = expect(200, send("GET", "/api/v1/tasks/" + id + "/occurrences?count=10", null,
                token("eve")));
        List<String> due = new ArrayList<>();
        preview.get("items").forEach(item -> due.add(item.get("localDueAt").asText()));
        assertEquals(List.of("2030-03-30T09:00:00+01:00", "2030-03-31T09:00:00+02:00", "2030-04-01T09:00:00+02:00"),
                due, "UNTIL is inclusive; the last occurrence is on it");
        JsonNode problem = expect(422, send("PATCH", "/api/v1/tasks/" + id,
                "{\"recurrence\": {\"rule\": \"FREQ=DAILY;UNTIL=20290101T000000Z\"}}", token("eve")));
        assertEquals("recurrence.rule", problem.get("errors").get(0).get("field").asText(),
                "an UNTIL before the due time leaves no occurrence: " + problem);
    }

    private static List<String> types(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::type).toList();
    }

    private static <T> List<T> concurrently(int n, Supplier<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<T>> calls = IntStream.range(0, n).<Callable<T>>mapToObj(i -> call::get).toList();
            List<T> results = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(calls)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
