package com.todo.function;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Internal routes (event routes, maintenance, the gateway's routes) answer only callers that present the app token in the
 * {@code dapr-api-token} header, as daprd does when {@code APP_API_TOKEN} is set (architecture D4). Without a
 * configured token the routes are open (local mode uses loopback calls).
 */
@ServerFilter(patterns = {"/outbox/**", "/reminders/**", "/forward/**", "/schedules/**", "/job/**", "/task-created",
        "/task-updated", "/task-completed", "/task-deleted", "/reminder-due", "/recurring-scheduled"})
public class AppApiTokenFilter {

    public static final String HEADER = "dapr-api-token";

    private final byte[] token;

    public AppApiTokenFilter(@Value("${todo.app-api-token:}") String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (token.length == 0) {
            return null;
        }
        String presented = request.getHeaders().get(HEADER);
        // constant-time comparison: the token is a shared secret
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return Problem.response(HttpStatus.UNAUTHORIZED, "this route needs the app token in the " + HEADER + " header");
    }
}
