package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import com.todo.embedded.EmbeddedDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency-Key on POST /tasks and POST …/complete: a retry gets the first answer and changes nothing. */
@MicronautTest(transactional = false)
class IdempotentRetriesTest extends ApiTest {

    private static final String BODY = """
            {"title": "Pay rent", "dueAt": "2026-07-01T09:00:00Z", "reminders": [{"before": "P1D"}]}""";

    private HttpResponse<String> post(String path, String body, String user, String key) {
        return send("POST", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json",
                "Authorization", "Bearer " + token(user), "Idempotency-Key", key);
    }

    @Test
    void twentyConcurrentRetriesOfOneCreateMakeOneTaskOneEventAndTwentyIdenticalAnswers() throws Exception {
        String key = UUID.randomUUID().toString();
        long eventsBefore = outbox.count();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> retries = IntStream.range(0, 20)
                    .<Callable<HttpResponse<String>>>mapToObj(i -> () -> post("/api/v1/tasks", BODY, "idem-alice", key))
                    .toList();
            Set<String> bodies = new HashSet<>();
            Set<String> locations = new HashSet<>();
            for (Future<HttpResponse<String>> answer : pool.invokeAll(retries)) {
                HttpResponse<String> response = answer.get();
                assertEquals(201, response.statusCode(), response.body());
                bodies.add(response.body());
                locations.add(response.headers().firstValue("Location").orElseThrow());
                assertEquals("\"1\"", response.headers().firstValue("ETag").orElseThrow());
            }
            assertEquals(1, bodies.size(), "every retry gets the first answer: " + bodies);
            assertEquals(1, locations.size());
        } finally {
            pool.shutdownNow();
        }
        JsonNode list = expect(200, send("GET", "/api/v1/tasks", null, token("idem-alice")));
        assertEquals(1, list.get("items").size());
        assertEquals(1, outbox.count() - eventsBefore, "one com.todo.task.created");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing() {
        String key = UUID.randomUUID().toString();
        JsonNode first = expect(201, post("/api/v1/tasks", BODY, "idem-bob", key));
        long events = outbox.count();
        JsonNode problem = expect(422, post("/api/v1/tasks", "{\"title\": \"Something else\"}", "idem-bob", key));
        assertTrue(problem.get("detail").asText().contains("Idempotency-Key"), problem.toString());
        assertEquals(events, outbox.count());
        // spacing is not a different body
        assertEquals(first, expect(201, post("/api/v1/tasks", BODY.replace(": ", ":\n  ").replace("{", "{ "),
                "idem-bob", key)));
        assertEquals(1, expect(200, send("GET", "/api/v1/tasks", null, token("idem-bob"))).get("items").size());
    }

    @Test
    void keysAreEachUsersOwn() {
        String key = UUID.randomUUID().toString();
        JsonNode carols = expect(201, post("/api/v1/tasks", BODY, "idem-carol", key));
        JsonNode daves = expect(201, post("/api/v1/tasks", BODY, "idem-dave", key));
        assertTrue(!carols.get("id").equals(daves.get("id")));
        assertEquals("idem-dave", daves.get("userId").asText());
    }

    @Test
    void aFailedRequestStoresNothingSoItsCorrectedRetryIsNotRefused() {
        String key = UUID.randomUUID().toString();
        expect(422, post("/api/v1/tasks", "{\"title\": \"\"}", "idem-erin", key));
        // the same key, same body again: checked again, same 422
        expect(422, post("/api/v1/tasks", "{\"title\": \"\"}", "idem-erin", key));
        assertEquals(0, expect(200, send("GET", "/api/v1/tasks", null, token("idem-erin"))).get("items").size());
    }

    @Test
    void aRetriedCompletionGetsTheFirstAnswerEvenAfterTheTaskChanged() {
        JsonNode task = create("idem-frank", "{\"title\": \"Water plants\"}");
        String path = "/api/v1/tasks/" + task.get("id").asText() + "/complete";
        String key = "\"" + UUID.randomUUID() + "\""; // as a structured-field string
        JsonNode completed = expect(200, post(path, null, "idem-frank", key));
        assertEquals("completed", completed.get("status").asText());
        long events = outbox.count();
        expect(200, send("PATCH", "/api/v1/tasks/" + task.get("id").asText(), "{\"status\": \"pending\"}",
                token("idem-frank")));
        assertEquals(completed, expect(200, post(path, null, "idem-frank", key)), "the retry's answer is the first one");
        assertEquals("pending", expect(200, send("GET", "/api/v1/tasks/" + task.get("id").asText(), null,
                token("idem-frank"))).get("status").asText(), "and it completed nothing again");
        assertEquals(events + 1, outbox.count(), "only the reopening's event");
        // one key, another route: another request
        expect(422, post("/api/v1/tasks", BODY, "idem-frank", key));
    }

    @Test
    void aMalformedKeyIs400() {
        for (String bad : List.of("has space", "\"\"", "\"quoted\"inside\"", "x".repeat(256))) {
            HttpResponse<String> response = post("/api/v1/tasks", BODY, "idem-gina", bad);
            assertEquals(400, response.statusCode(), () -> "key [" + bad + "]: " + response.body());
        }
        assertEquals(0, expect(200, send("GET", "/api/v1/tasks", null, token("idem-gina"))).get("items").size());
    }

    @Inject
    IdempotencyKeyExpiry expiry;

    @Test
    void aKeyPastItsWindowMayBeUsedAgainAndExpiryDeletesExactlyTheKeysPastTheWindow() throws Exception {
        String old = "old-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        JsonNode first = expect(201, post("/api/v1/tasks", BODY, "idem-hal", old));
        expect(201, post("/api/v1/tasks", BODY, "idem-hal", fresh));
        // the first key's answer was written 25 hours ago; the window is 24
        age(old, 25);
        JsonNode again = expect(201, post("/api/v1/tasks", "{\"title\": \"A new request\"}", "idem-hal", old));
        assertTrue(!again.get("id").equals(first.get("id")), "past its window the key is a new request's");
        age(old, 25);
        age(fresh, 23);
        expiry.expire();
        List<String> left = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, EmbeddedDatabase.USER, ""); ResultSet rs = c.createStatement()
                .executeQuery("SELECT key FROM idempotency_keys WHERE user_id = 'idem-hal'")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        assertEquals(List.of(fresh), left);
    }

    private void age(String key, int hours) throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl, EmbeddedDatabase.USER, ""); PreparedStatement ps = c.prepareStatement(
                "UPDATE idempotency_keys SET created_at = now() - make_interval(hours => ?) WHERE key = ?")) {
            ps.setInt(1, hours);
            ps.setString(2, key);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
