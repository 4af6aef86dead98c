package com.todo.taskapi;

import com.todo.function.Problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a problem+json 400/401/422 that names the problem, and writes neither a task nor an event. */
@MicronautTest(transactional = false)
class BadInputTest extends ApiTest {

    private static final String LONG_51 = "x".repeat(51);
    private String existing;
    private JsonNode existingTask;

    @BeforeAll
    void createOneTask() {
        existingTask = create("alice", "{\"title\": \"Existing\", \"dueAt\": \"2026-05-01T10:00:00Z\", "
                + "\"reminders\": [{\"before\": \"PT5M\"}]}");
        existing = "/api/v1/tasks/" + existingTask.get("id").asText();
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of(400, "{\"title\": ", null),
                Arguments.of(400, "", null),
                Arguments.of(400, "[{\"title\": \"a\"}]", null),
                Arguments.of(400, "{\"title\": \"a\", \"title\": \"b\"}", null),
                Arguments.of(400, "{\"title\": 123}", "title"),
                Arguments.of(400, "{\"title\": \"a\", \"tags\": \"home\"}", "tags"),
                Arguments.of(400, "{\"title\": \"a\", \"reminders\": [5]}", "reminders[0]"),
                Arguments.of(400, "{\"title\": \"a\", \"dueAt\": 1767225600}", "dueAt"),
                Arguments.of(422, "{}", "title"),
                Arguments.of(422, "{\"title\": \"   \"}", "title"),
                Arguments.of(422, "{\"title\": \"" + "t".repeat(201) + "\"}", "title"),
                Arguments.of(422, "{\"title\": \"a\", \"description\": \"" + "d".repeat(1001) + "\"}", "description"),
                Arguments.of(422, "{\"title\": \"a\", \"tags\": [" + "\"t\",".repeat(0) + tags(21) + "]}", "tags"),
                Arguments.of(422, "{\"title\": \"a\", \"tags\": [\"" + LONG_51 + "\"]}", "tags[0]"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", \"reminders\": ["
                        + "{\"before\": \"PT1M\"},".repeat(10) + "{\"before\": \"PT1M\"}]}", "reminders"),
                Arguments.of(422, "{\"title\": \"a\", \"status\": \"done\"}", "status"),
                Arguments.of(422, "{\"title\": \"a\", \"status\": \"completed\"}", "status"),
                Arguments.of(422, "{\"title\": \"a\", \"priority\": \"urgent\"}", "priority"),
                Arguments.of(422, "{\"title\": \"a\", \"timeZone\": \"Mars/Olympus_Mons\"}", "timeZone"),
                Arguments.of(422, "{\"title\": \"a\", \"timeZone\": \"+02:00\"}", "timeZone"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"tomorrow\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", "
                        + "\"recurrence\": {\"rule\": \"FREQ=SOMETIMES\"}}", "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", "
                        + "\"recurrence\": {\"rule\": \"FREQ=DAILY;BYDAY=XX\"}}", "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", \"recurrence\": {\"rule\": \"FREQ=DAILY\"}}", "recurrence"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", "
                        + "\"reminders\": [{\"before\": \"15 minutes\"}]}", "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", "
                        + "\"reminders\": [{\"before\": \"-PT5M\"}]}", "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", \"reminders\": [{\"before\": \"PT5M\"}]}", "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2026-05-01T10:00:00Z\", \"reminders\": "
                        + "[{\"before\": \"PT5M\", \"at\": \"2026-05-01T09:00:00Z\"}]}", "reminders[0]"),
                Arguments.of(422, "{\"title\": \"a\", \"reminders\": [{}]}", "reminders[0]"),
                Arguments.of(422, "{\"title\": \"a\", \"reminders\": [{\"id\": \"9b2f6a3e-7f38-4c1e-9a51-3c1d2f0b8e11\", "
                        + "\"at\": \"2026-05-01T09:00:00Z\"}]}", "reminders[0].id"),
                Arguments.of(422, "{\"title\": \"a\", \"titel\": \"typo\"}", "titel"),
                Arguments.of(422, "{\"title\": \"a\", \"id\": \"9b2f6a3e-7f38-4c1e-9a51-3c1d2f0b8e11\"}", "id"),
                Arguments.of(422, "{\"title\": \"a\", \"version\": 7}", "version"));
    }

    @ParameterizedTest(name = "[{index}] {0} for {1}")
    @MethodSource("badCreates")
    void badCreateIsAProblemAndWritesNothing(int status, String body, String field) {
        assertNothingWritten(() -> assertProblem(status, field, send("POST", "/api/v1/tasks", body, token("alice"))));
    }

    static Stream<Arguments> badPatches() {
        return Stream.of(
                Arguments.of(400, "{\"title\": ", null),
                Arguments.of(400, "\"title\"", null),
                Arguments.of(400, "{\"priority\": 1}", "priority"),
                Arguments.of(422, "{\"title\": null}", "title"),
                Arguments.of(422, "{\"priority\": \"urgent\"}", "priority"),
                Arguments.of(422, "{\"dueAt\": null}", "reminders[0].before"),
                Arguments.of(422, "{\"version\": 99}", "version"),
                Arguments.of(422, "{\"reminders\": [{\"id\": \"not-a-uuid\", \"before\": \"PT1M\"}]}", "reminders[0].id"),
                Arguments.of(422, "{\"recurrence\": {\"rule\": \"RRULE:FREQ=DAILY;COUNT=x\"}}", "recurrence.rule"));
    }

    @ParameterizedTest(name = "[{index}] {0} for {1}")
    @MethodSource("badPatches")
    void badPatchIsAProblemAndChangesNothing(int status, String body, String field) {
        assertNothingWritten(() -> assertProblem(status, field,
                send("PATCH", existing, body, token("alice"), TasksController.MERGE_PATCH)));
        assertEquals(existingTask, expect(200, send("GET", existing, null, token("alice"))));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of("status=done", "priority=urgent", "sort=title", "size=0", "size=101", "page=-1", "page=x",
                "dueBefore=yesterday", "dueAfter=2026-01-01").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void badListParameterIsA400(String query) {
        assertProblem(400, null, send("GET", "/api/v1/tasks?" + query, null, token("alice")));
    }

    static Stream<Arguments> badTokens() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("missing", null),
                Arguments.of("not a JWT", "garbage"),
                Arguments.of("wrong secret", sign(new JWTClaimsSet.Builder().subject("alice")
                        .expirationTime(Date.from(now.plusSeconds(600))).build(), "another-secret-another-secret-0123456")),
                Arguments.of("expired beyond the skew", sign(new JWTClaimsSet.Builder().subject("alice")
                        .expirationTime(Date.from(now.minusSeconds(120))).build(), SECRET)),
                Arguments.of("no exp", sign(new JWTClaimsSet.Builder().subject("alice").build(), SECRET)),
                Arguments.of("no sub", sign(new JWTClaimsSet.Builder()
                        .expirationTime(Date.from(now.plusSeconds(600))).build(), SECRET)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokenIs401OnEveryEndpointAndWritesNothing(String why, String token) {
        assertNothingWritten(() -> {
            assertProblem(401, null, send("POST", "/api/v1/tasks", "{\"title\": \"x\"}", token));
            assertProblem(401, null, send("GET", "/api/v1/tasks", null, token));
            assertProblem(401, null, send("GET", existing, null, token));
            assertProblem(401, null, send("PATCH", existing, "{\"title\": \"x\"}", token));
            assertProblem(401, null, send("POST", existing + "/complete", null, token));
            assertProblem(401, null, send("DELETE", existing, null, token));
        });
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() {
        String token = sign(new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().minusSeconds(20))).build(), SECRET);
        expect(200, send("GET", existing, null, token));
    }

    private void assertNothingWritten(Runnable action) {
        long tasks = taskRows.count();
        long events = outbox.count();
        action.run();
        assertEquals(tasks, taskRows.count(), "no task row written");
        assertEquals(events, outbox.count(), "no outbox row written");
    }

    private static void assertProblem(int status, String field, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(Problem.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""), response::body);
        JsonNode problem = json(response);
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.path("title").asText().isEmpty());
        if (status != 401) {
            assertFalse(problem.path("detail").asText().isEmpty(), response::body);
        }
        if (field != null) {
            boolean named = false;
            for (JsonNode error : problem.path("errors")) {
                named |= field.equals(error.get("field").asText());
            }
            assertTrue(named, () -> "expected an error for " + field + " in " + response.body());
        }
    }

    private static String tags(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return s.toString();
    }
}
