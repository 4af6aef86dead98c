package com.todo.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthControllerTest {

    /** A check the test turns on and off. */
    @Singleton
    @Requires(property = "test.health")
    static class Switch implements ReadinessCheck {
        volatile boolean on;

        @Override
        public String name() {
            return "switch";
        }

        @Override
        public boolean ready() {
            return on;
        }
    }

    @Test
    void readyOnlyWhenEveryCheckPassesAliveRegardless() throws Exception {
        try (EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "test.health", true, "todo.warmup.enabled", false))) {
            for (String path : new String[]{"/health", "/health/readiness"}) {
                HttpResponse<String> down = get(app, path);
                assertEquals(503, down.statusCode(), path);
                JsonNode body = new ObjectMapper().readTree(down.body());
                assertEquals("DOWN", body.get("status").asText());
                assertEquals("[\"switch\"]", body.get("down").toString(), "names what is not ready");
            }
            assertEquals(200, get(app, "/health/liveness").statusCode(), "a process that answers is alive");

            app.getApplicationContext().getBean(Switch.class).on = true;
            for (String path : new String[]{"/health", "/health/readiness"}) {
                HttpResponse<String> up = get(app, path);
                assertEquals(200, up.statusCode(), path);
                JsonNode body = new ObjectMapper().readTree(up.body());
                assertEquals("UP", body.get("status").asText(), path);
                assertEquals("[\"switch\"]", body.get("checks").toString(), "names what was checked");
            }
            assertEquals("{\"status\":\"UP\"}", get(app, "/health/liveness").body());
        }
    }

    @Test
    void withoutChecksReady() throws Exception {
        try (EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "todo.warmup.enabled", false))) {
            HttpResponse<String> up = get(app, "/health/readiness");
            assertEquals(200, up.statusCode());
            assertEquals("[]", new ObjectMapper().readTree(up.body()).get("checks").toString());
        }
    }

    private static HttpResponse<String> get(EmbeddedServer app, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + app.getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
