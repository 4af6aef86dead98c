package com.todo.dapr;

import com.todo.function.LoopbackHttp;
import com.todo.function.ReadinessCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * In Dapr mode (the injector sets {@code DAPR_HTTP_PORT}) a function is ready only once its sidecar answers
 * (architecture D4): {@code GET /v1.0/healthz/outbound} must be 204. Without a sidecar the check does not exist.
 * Asked with {@link LoopbackHttp}.
 */
@Singleton
@Requires(property = "dapr.http.port")
public class SidecarReadiness implements ReadinessCheck {

    /** With the database check's wait, within a probe's default timeout of 1 s. */
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private final LoopbackHttp http = new LoopbackHttp("", TIMEOUT, TIMEOUT);
    private final String healthz;

    public SidecarReadiness(@Value("${dapr.http.port}") int port) {
        this.healthz = "http://localhost:" + port + "/v1.0/healthz/outbound";
    }

    @Override
    public String name() {
        return "dapr-sidecar";
    }

    /** @return whether the sidecar reports itself ready for the app's outbound calls */
    @Override
    public boolean ready() {
        try {
            return http.exchange("GET", healthz, null, null).status() == 204;
        } catch (IOException e) {
            return false;
        }
    }
}
