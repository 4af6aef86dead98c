package com.todo.dapr;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * In Dapr mode (the injector sets {@code DAPR_HTTP_PORT}) a function is ready only once its sidecar answers
 * (architecture D4): {@code GET /v1.0/healthz/outbound} must be 204. Without a sidecar the indicator does not exist.
 */
@Singleton
@Readiness
@Requires(property = "dapr.http.port")
public class SidecarReadiness extends AbstractHealthIndicator<Map<String, Object>> {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI healthz;

    public SidecarReadiness(@Value("${dapr.http.port}") int port) {
        this.healthz = URI.create("http://localhost:" + port + "/v1.0/healthz/outbound");
    }

    /** @return whether the sidecar reports itself ready for the app's outbound calls */
    public boolean sidecarUp() {
        return status() == 204;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        int status = status();
        healthStatus = status == 204 ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("sidecar", healthz.toString(), "status", status);
    }

    private int status() {
        int status;
        try {
            status = http.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(1)).GET().build(),
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
    protected String getName() {
        return "dapr-sidecar";
    }
}
