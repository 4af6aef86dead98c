package com.todo.dapr;

import com.todo.function.ReadinessCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * In Dapr mode (the injector sets {@code DAPR_HTTP_PORT}) a function is ready only once its sidecar answers
 * (architecture D4): {@code GET /v1.0/healthz/outbound} must be 204. Without a sidecar the check does not exist.
 */
@Singleton
@Requires(property = "dapr.http.port")
public class SidecarReadiness implements ReadinessCheck {

    /** With the database check's wait, within a probe's default timeout of 1 s. */
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI healthz;

    public SidecarReadiness(@Value("${dapr.http.port}") int port) {
        this.healthz = URI.create("http://localhost:" + port + "/v1.0/healthz/outbound");
    }

    private int status() {
        int status;
        try {
            status = http.send(HttpRequest.newBuilder(healthz).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
        }
        return status;
    }

    @Override
    public String name() {
        return "dapr-sidecar";
    }

    /** @return whether the sidecar reports itself ready for the app's outbound calls */
    @Override
    public boolean ready() {
        return status() == 204;
    }
}
