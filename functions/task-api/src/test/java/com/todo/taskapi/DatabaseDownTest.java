package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.embedded.EmbeddedDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database going away under the API: 503 problems a client retries, nothing half-written, and back when it is. */
@MicronautTest(transactional = false)
class DatabaseDownTest extends ApiTest {

    @Override
    Map<String, String> extraProperties() {
        // a request that finds no connection gives up in a second and a half, not Hikari's default 30 s
        return Map.of("datasources.default.connection-timeout", "1500");
    }

    @Test
    void whileTheDatabaseIsDownEveryRequestIs503WithRetryAfterAndNothingChanges() {
        String id = create("alice", "{\"title\": \"before the outage\"}").get("id").asText();
        String url = server.getApplicationContext().getRequiredProperty("datasources.default.url", String.class);
        long tasksBefore = taskRows.count();

        EmbeddedDatabase.shared().setAvailable(url, false);
        try {
            // the pool's open connections are ended under it, then no new one is granted
            for (int i = 0; i < 3; i++) {
                assertUnavailable(send("POST", "/api/v1/tasks", "{\"title\": \"during the outage\"}", token("alice")));
                assertUnavailable(send("GET", "/api/v1/tasks/" + id, null, token("alice")));
                assertUnavailable(send("POST", "/api/v1/tasks/" + id + "/complete", null, token("alice")));
            }
        } finally {
            EmbeddedDatabase.shared().setAvailable(url, true);
        }

        // the pool opens new connections in the background: the first requests after the outage may still find none
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (send("GET", "/api/v1/tasks/" + id, null, token("alice")).statusCode() == 503) {
            assertTrue(System.nanoTime() < deadline, "the API came back within 15 s of the database");
        }
        assertEquals(tasksBefore, taskRows.count(), "nothing written during the outage");
        assertEquals("pending", expect(200, send("GET", "/api/v1/tasks/" + id, null, token("alice"))).get("status").asText());
        create("alice", "{\"title\": \"after the outage\"}"); // back once it is
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(ApiExceptionHandlers.RETRY_AFTER_SECONDS, response.headers().firstValue("Retry-After").orElse(null));
        JsonNode problem = json(response);
        assertEquals(503, problem.get("status").asInt());
        String detail = problem.get("detail").asText();
        assertTrue(detail.contains("Try again"), detail);
        for (String internal : new String[]{"SQL", "JDBC", "Hikari", "postgres", "Exception", "test_"}) {
            assertFalse(detail.contains(internal), "no internals in the answer: " + detail);
        }
    }
}
