package com.todo.function;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * How functions schedule and cancel their timers: the event gateway's schedules API. In the cluster the base URL
 * is the sidecar's service invocation of {@code event-gateway} (the gateway is always on); in local mode it is a
 * loopback call. Failures are {@link JobScheduler.UnavailableException}: the caller answers RETRY; a schedule the scheduler
 * refuses (422) is {@link JobScheduler.RejectedException}. Sent with {@link LoopbackHttp}.
 */
@Singleton
public class SchedulesClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String baseUrl;
    private final LoopbackHttp http;

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
        this.http = new LoopbackHttp(!token.isBlank() ? token : env("DAPR_API_TOKEN", ""),
                CONNECT_TIMEOUT, timeout);
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
        LoopbackHttp.Answer answer;
        try {
            answer = http.exchange(method, baseUrl + "/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    body, "application/json");
        } catch (IOException e) {
            throw new JobScheduler.UnavailableException("schedules API unreachable for " + name + ": " + e, e);
        }
        if (answer.status() == 422) {
            throw new JobScheduler.RejectedException("schedules API refused " + name + ": " + answer.text(), null);
        }
        if (!answer.ok()) {
            throw new JobScheduler.UnavailableException("schedules API answered " + answer.status() + " for "
                    + name + ": " + answer.text(), null);
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
