package com.todo.function;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * How functions schedule and cancel their timers: the event gateway's schedules API. In the cluster the base URL
 * is the sidecar's service invocation of {@code event-gateway} (the gateway is always on); in local mode it is a
 * loopback call. Failures are {@link JobScheduler.UnavailableException}: the caller answers RETRY; a schedule the scheduler
 * refuses (422) is {@link JobScheduler.RejectedException}. Sent with {@link HttpURLConnection} (its keep-alive cache
 * reuses the connection to the sidecar), not the JDK's {@code HttpClient}, whose first client initializes the JDK's
 * TLS and a selector thread on every cold start (docs/benchmarks.md, "Same-run comparisons").
 */
@Singleton
public class SchedulesClient {

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final String baseUrl;
    private final String token;
    private final Duration timeout;

    /**
     * @param baseUrl default: the sidecar's invocation of event-gateway ({@code DAPR_HTTP_PORT}, default 3500)
     * @param token   header value for {@code dapr-api-token}; default: {@code DAPR_API_TOKEN}, the sidecar's token
     */
    public SchedulesClient(@Value("${todo.schedules.url:}") String baseUrl,
                           @Value("${todo.schedules.token:}") String token,
                           @Value("${todo.schedules.timeout:5s}") Duration timeout) {
        String url = !baseUrl.isBlank() ? baseUrl : "http://localhost:" + env("DAPR_HTTP_PORT", "3500")
                + "/v1.0/invoke/event-gateway/method";
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = !token.isBlank() ? token : env("DAPR_API_TOKEN", "");
        this.timeout = timeout;
    }

    /**
     * Fires {@code event} (a complete structured CloudEvent, JSON) to {@code topic} at {@code dueTime}, replacing
     * any schedule of that name; a due time in the past fires at once.
     */
    public void schedule(String name, Instant dueTime, String topic, String event) {
        String body = "{\"dueTime\":\"" + dueTime + "\",\"topic\":" + quote(topic) + ",\"event\":" + event + "}";
        send("PUT", name, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Cancels the schedule; cancelling an absent one is fine. */
    public void cancel(String name) {
        send("DELETE", name, null);
    }

    private void send(String method, String name, byte[] body) {
        HttpURLConnection connection = null;
        int status;
        String answer;
        try {
            connection = (HttpURLConnection) URI.create(baseUrl + "/schedules/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8)).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout((int) timeout.toMillis());
            if (!token.isEmpty()) {
                connection.setRequestProperty(AppApiTokenFilter.HEADER, token);
            }
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                // buffered, not streamed: the JDK resends a buffered request once when a kept-alive connection
                // turns out to be closed, and a streamed one it cannot (the bodies are about 1 KB)
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            status = connection.getResponseCode();
            // read to the end, so the connection goes back to the keep-alive cache
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            if (connection != null) {
                connection.disconnect();
            }
            throw new JobScheduler.UnavailableException("schedules API unreachable for " + name + ": " + e, e);
        }
        if (status == 422) {
            throw new JobScheduler.RejectedException("schedules API refused " + name + ": " + answer, null);
        }
        if (status / 100 != 2) {
            throw new JobScheduler.UnavailableException("schedules API answered " + status + " for "
                    + name + ": " + answer, null);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
