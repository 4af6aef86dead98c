package com.todo.function;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * How functions schedule and cancel their timers: the event gateway's schedules API. In the cluster the base URL
 * is the sidecar's service invocation of {@code event-gateway} (the gateway is always on); in local mode it is a
 * loopback call. Failures are {@link JobScheduler.UnavailableException}: the caller answers RETRY; a schedule the scheduler
 * refuses (422) is {@link JobScheduler.RejectedException}.
 */
@Singleton
public class SchedulesClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
        send(HttpRequest.newBuilder(uri(name)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), name);
    }

    /** Cancels the schedule; cancelling an absent one is fine. */
    public void cancel(String name) {
        send(HttpRequest.newBuilder(uri(name)).DELETE(), name);
    }

    private URI uri(String name) {
        return URI.create(baseUrl + "/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    private void send(HttpRequest.Builder request, String name) {
        request.timeout(timeout);
        if (!token.isEmpty()) {
            request.header(AppApiTokenFilter.HEADER, token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new JobScheduler.UnavailableException("schedules API unreachable for " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobScheduler.UnavailableException("interrupted while scheduling " + name, e);
        }
        if (response.statusCode() == 422) {
            throw new JobScheduler.RejectedException("schedules API refused " + name + ": " + response.body(), null);
        }
        if (response.statusCode() / 100 != 2) {
            throw new JobScheduler.UnavailableException("schedules API answered " + response.statusCode() + " for "
                    + name + ": " + response.body(), null);
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
