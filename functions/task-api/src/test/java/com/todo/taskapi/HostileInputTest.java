package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.function.Problem;
import com.todo.domain.OutboxRow;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tried against the API: each input is a 4xx problem that names no internals and writes nothing,
 * and what is accepted produces events that validate.
 */
@MicronautTest(transactional = false)
class HostileInputTest extends ApiTest {

    private static final String DUE = "\"dueAt\": \"2030-01-01T09:00:00Z\"";

    static Stream<Arguments> refusedBodies() {
        return Stream.of(
                Arguments.of(422, "{\"title\": \"a\\u0000b\"}", "title"),
                Arguments.of(422, "{\"title\": \"line\\n12:00:00.000 INFO forged\"}", "title"),
                Arguments.of(422, "{\"title\": \"a\", \"description\": \"nul \\u0000\"}", "description"),
                Arguments.of(422, "{\"title\": \"a\", \"tags\": [\"t\\u0000\"]}", "tags[0]"),
                Arguments.of(422, "{\"title\": \"" + "\uD83D\uDE00".repeat(201) + "\"}", "title"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"+99999-01-01T00:00:00Z\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"-5000-01-01T00:00:00Z\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"1969-12-31T23:59:59Z\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"9999-12-31T23:00:00-05:00\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"a\", \"reminders\": [{\"at\": \"+10000-01-01T00:00:00Z\"}]}",
                        "reminders[0].at"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"P3000Y\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"P10000Y\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"PT9999999999999H\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"P999999999999Y\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"P1W2147483647D\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"reminders\": [{\"before\": \"PT1,5S\"}]}",
                        "reminders[0].before"),
                Arguments.of(422, "{\"title\": \"a\", \"dueAt\": \"2030-01-01T09:00Z\"}", "dueAt"),
                Arguments.of(422, "{\"title\": \"\u00a0\"}", "title"),
                Arguments.of(422, "{\"title\": \"a\", \"tags\": [" + String.join(",", Collections.nCopies(21, "\"same\""))
                        + "]}", "tags"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"recurrence\": "
                        + "{\"rule\": \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\"}}", "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"recurrence\": "
                        + "{\"rule\": \"FREQ=DAILY;UNTIL=20290101T000000Z\"}}", "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"recurrence\": {\"rule\": \"FREQ=SECONDLY\"}}",
                        "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"recurrence\": "
                        + "{\"rule\": \"FREQ=MINUTELY;BYSECOND=0,30\"}}", "recurrence.rule"),
                Arguments.of(422, "{\"title\": \"a\", " + DUE + ", \"recurrence\": "
                        + "{\"rule\": \"FREQ=DAILY;INTERVAL=2147483647\"}}", "recurrence.rule"),
                Arguments.of(400, "{\"title\": \"\\uD800\"}", null),
                Arguments.of(400, "{\"title\": \"a\", \"tags\": [\"\\uDC00x\"]}", null),
                Arguments.of(400, "{\"title\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}", null),
                Arguments.of(400, "[".repeat(10_000) + "]".repeat(10_000), null));
    }

    @ParameterizedTest(name = "[{index}] {0} for {2}")
    @MethodSource("refusedBodies")
    void aHostileBodyIsAProblemAndWritesNothing(int status, String body, String field) {
        assertRefused(status, field, () -> send("POST", "/api/v1/tasks", body, token("alice")));
    }

    @Test
    void invalidUtf8IsA400NotAReplacementCharacter() {
        byte[] body = "{\"title\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(400, null, () -> send("POST", "/api/v1/tasks", body, "application/json",
                "Authorization", "Bearer " + token("alice")));
    }

    @Test
    void limitsCountCharactersNotUtf16Units() throws IOException {
        String emoji = "\uD83D\uDE00";
        JsonNode task = create("alice", "{\"title\": \"" + emoji.repeat(200) + "\", \"tags\": [\"" + emoji.repeat(50)
                + "\"], \"description\": \"" + emoji.repeat(1000) + "\"}");
        assertEquals(emoji.repeat(200), task.get("title").asText());
        assertEventsValidate(task.get("id").asText());
    }

    static Stream<Arguments> refusedQueries() {
        return Stream.of("q=a%00b", "tag=a%00", "q=" + "x".repeat(201), "tag=" + "x".repeat(51),
                "dueBefore=%2B99999-01-01T00:00:00Z", "dueAfter=0001-01-01T00:00:00Z").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("refusedQueries")
    void aHostileQueryIsA400(String query) {
        assertRefused(400, null, () -> send("GET", "/api/v1/tasks?" + query, null, token("alice")));
    }

    static Stream<Arguments> refusedTokens() {
        Instant now = Instant.now();
        Date exp = Date.from(now.plusSeconds(600));
        return Stream.of(
                Arguments.of("nbf in the future", sign(new JWTClaimsSet.Builder().subject("alice").expirationTime(exp)
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build(), SECRET)),
                Arguments.of("numeric sub", sign(new JWTClaimsSet.Builder().claim("sub", 42).expirationTime(exp)
                        .build(), SECRET)),
                Arguments.of("sub over 255 characters", sign(new JWTClaimsSet.Builder().subject("u".repeat(256))
                        .expirationTime(exp).build(), SECRET)),
                Arguments.of("sub of 4000 characters", sign(new JWTClaimsSet.Builder().subject("u".repeat(4000))
                        .expirationTime(exp).build(), SECRET)),
                Arguments.of("sub with NUL", sign(new JWTClaimsSet.Builder().subject("al\u0000ice")
                        .expirationTime(exp).build(), SECRET)),
                Arguments.of("sub with a line break", sign(new JWTClaimsSet.Builder().subject("alice\nbob")
                        .expirationTime(exp).build(), SECRET)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aTokenWhoseSubjectCannotOwnTasksOrNotYetValidIs401(String why, String token) {
        assertRefused(401, null, () -> send("POST", "/api/v1/tasks", "{\"title\": \"x\"}", token));
        assertRefused(401, null, () -> send("GET", "/api/v1/tasks", null, token));
    }

    @Test
    void theLongestSubjectAndANotBeforeWithinTheSkewAreAccepted() throws IOException {
        String subject = "u".repeat(255);
        String token = sign(new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(Instant.now()
                .plusSeconds(600))).notBeforeTime(Date.from(Instant.now().plusSeconds(20))).build(), SECRET);
        JsonNode task = expect(201, send("POST", "/api/v1/tasks", "{\"title\": \"mine\"}", token));
        assertEquals(subject, task.get("userId").asText());
        assertEventsValidate(task.get("id").asText());
    }

    @Test
    void aSubjectThatIsTheText42IsAUserOfThatName() throws IOException {
        String token = sign(new JWTClaimsSet.Builder().subject("42").expirationTime(Date.from(Instant.now()
                .plusSeconds(600))).build(), SECRET);
        JsonNode task = expect(201, send("POST", "/api/v1/tasks", "{\"title\": \"mine\"}", token));
        assertEquals("42", task.get("userId").asText());
    }

    @Test
    void twoAuthorizationHeadersAre401WhicheverComesFirst() {
        String alice = "Bearer " + token("alice");
        assertRefused(401, null, () -> send("GET", "/api/v1/tasks", null, null,
                "Authorization", alice, "Authorization", "Bearer " + token("mallory")));
        assertRefused(401, null, () -> send("GET", "/api/v1/tasks", null, null,
                "Authorization", alice, "Authorization", "Basic eDp5"));
    }

    @Test
    void oversizedHeadersAre431AndAnOversizedRequestLine414() {
        HttpResponse<String> headers = send("GET", "/api/v1/tasks", null, null,
                "Authorization", "Bearer " + token("alice"), "X-Padding", "p".repeat(20_000));
        assertEquals(431, headers.statusCode(), headers::body);
        assertEquals(Problem.CONTENT_TYPE, headers.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> line = send("GET", "/api/v1/tasks?q=" + "x".repeat(20_000), null, token("alice"));
        assertEquals(414, line.statusCode(), line::body);
    }

    private void assertRefused(int status, String field, java.util.function.Supplier<HttpResponse<String>> call) {
        long tasks = taskRows.count();
        long events = outbox.count();
        HttpResponse<String> answer = call.get();
        assertEquals(status, answer.statusCode(), answer::body);
        assertEquals(Problem.CONTENT_TYPE, answer.headers().firstValue("Content-Type").orElse(""), answer::body);
        for (String internal : List.of("SQL", "ERROR:", "Exception", "org.", "java.", "com.", "$1")) {
            assertFalse(answer.body().contains(internal), () -> "names internals (" + internal + "): " + answer.body());
        }
        if (field != null) {
            assertTrue(json(answer).path("errors").findValuesAsText("field").contains(field), answer::body);
        }
        assertEquals(tasks, taskRows.count(), "no task row written");
        assertEquals(events, outbox.count(), "no outbox row written");
    }

    private void assertEventsValidate(String taskId) throws IOException {
        List<OutboxRow> rows = outbox.findByAggregateIdOrderBySeq(taskId);
        assertFalse(rows.isEmpty());
        for (OutboxRow row : rows) {
            JsonNode data = JSON.readTree(StructuredEvents.deserialize(row.payload().getBytes(StandardCharsets.UTF_8))
                    .getData().toBytes());
            EventType type = EventType.ofType(row.type()).orElseThrow();
            assertEquals(List.of(), EventSchemas.violations(type, data), () -> "data: " + data);
        }
    }
}
