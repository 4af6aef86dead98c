package com.todo.taskapi;

import com.todo.function.Problem;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every endpoint is scoped to the token's subject: another user's task is a 404 and stays untouched. */
@MicronautTest(transactional = false)
class UserIsolationTest extends ApiTest {

    @Test
    void anotherUsersTaskIsNotFoundOnEveryEndpoint() {
        JsonNode task = create("alice", "{\"title\": \"Alice's secret\"}");
        String path = "/api/v1/tasks/" + task.get("id").asText();
        create("bob", "{\"title\": \"Bob's task\"}");
        long events = outbox.count();

        String bob = token("bob");
        problem(404, send("GET", path, null, bob));
        problem(404, send("PATCH", path, "{\"title\": \"mine now\"}", bob));
        problem(404, send("POST", path + "/complete", null, bob));
        problem(404, send("DELETE", path, null, bob));

        JsonNode bobsList = expect(200, send("GET", "/api/v1/tasks", null, bob));
        assertEquals(1, bobsList.get("total").asLong());
        assertEquals("Bob's task", bobsList.get("items").get(0).get("title").asText());
        JsonNode alicesList = expect(200, send("GET", "/api/v1/tasks?q=secret", null, token("alice")));
        assertEquals(1, alicesList.get("total").asLong());

        assertEquals(task, expect(200, send("GET", path, null, token("alice"))));
        assertEquals(events, outbox.count());
    }

    private static void problem(int status, java.net.http.HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(Problem.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
    }
}
