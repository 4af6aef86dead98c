package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventPublisher;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /outbox/flush: the maintenance route, guarded by the app token instead of a user token. */
@MicronautTest(transactional = false)
class OutboxFlushEndpointTest extends ApiTest {

    private static final String APP_TOKEN = "app-token-for-tests";

    @Inject
    EventPublisher publisher;

    @Override
    Map<String, String> extraProperties() {
        return Map.of("todo.app-api-token", APP_TOKEN, "todo.outbox.retry-interval", "1h");
    }

    @Test
    void needsTheAppTokenAndAnswersWhatItPublished() throws Exception {
        assertEquals(401, flush(null).statusCode());
        assertEquals(401, flush("wrong").statusCode());
        assertEquals(401, flush(token("alice")).statusCode(), "a user token is not the app token");

        create("alice", "{\"title\": \"flush me\"}");
        HttpResponse<String> response = flush(APP_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = json(response);
        assertEquals(0, result.get("pending").asLong());
        assertEquals(0, result.get("failed").asInt());
        assertTrue(((RecordingEventPublisher) publisher).published().stream()
                .anyMatch(e -> e.type().equals("com.todo.task.created")));
    }

    private HttpResponse<String> flush(String appToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.getPort() + "/outbox/flush"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (appToken != null) {
            request.header("dapr-api-token", appToken);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
