package com.todo.dapr;

import com.todo.function.ReadinessCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * In Dapr mode (the injector sets {@code DAPR_HTTP_PORT}) a function is ready only once its sidecar answers
 * (architecture D4): {@code GET /v1.0/healthz/outbound} must be 204. Without a sidecar the check does not exist.
 * Asked with {@link HttpURLConnection}, not the JDK's {@code HttpClient}: a client of those initializes the JDK's TLS
 * (its default SSLContext) and a selector thread, several hundred classes on every cold start for one local GET.
 */
@Singleton
@Requires(property = "dapr.http.port")
public class SidecarReadiness implements ReadinessCheck {

    /** With the database check's wait, within a probe's default timeout of 1 s. */
    private static final int TIMEOUT_MS = (int) Duration.ofMillis(400).toMillis();

    private final URL healthz;

    public SidecarReadiness(@Value("${dapr.http.port}") int port) {
        try {
            this.healthz = URI.create("http://localhost:" + port + "/v1.0/healthz/outbound").toURL();
        } catch (IOException e) {
            throw new IllegalArgumentException("sidecar port " + port, e);
        }
    }

    private int status() {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) healthz.openConnection();
            connection.setConnectTimeout(TIMEOUT_MS);
            connection.setReadTimeout(TIMEOUT_MS);
            int status = connection.getResponseCode();
            // read to the end, so the connection goes back to the keep-alive cache for the next probe
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (IOException e) {
            if (connection != null) {
                connection.disconnect();
            }
            return 0;
        }
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
