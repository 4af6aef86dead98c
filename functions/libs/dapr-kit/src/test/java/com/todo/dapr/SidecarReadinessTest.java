package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SidecarReadinessTest {

    @Test
    void readyOnlyWhileTheSidecarAnswers() throws Exception {
        AtomicInteger answer = new AtomicInteger(500);
        HttpServer sidecarHttp = FakeDaprSidecar.healthz(answer);
        try (EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "dapr.http.port", sidecarHttp.getAddress().getPort()))) {
            assertEquals(503, readiness(app));
            answer.set(204);
            assertEquals(200, readiness(app));
        } finally {
            sidecarHttp.stop(0);
        }
        try (EmbeddedServer noSidecar = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1))) {
            assertEquals(200, readiness(noSidecar), "outside Dapr mode there is nothing to wait for");
        }
    }

    private static int readiness(EmbeddedServer app) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + app.getPort() + "/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
