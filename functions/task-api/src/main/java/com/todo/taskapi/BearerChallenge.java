package com.todo.taskapi;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;

/**
 * The {@code WWW-Authenticate} of every 401 (RFC 6750 §3): {@code Bearer realm="todo"}, and when a token was sent
 * and refused, {@code error} and {@code error_description} saying why (no error code when none was sent).
 */
@Singleton
public class BearerChallenge implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {

    static final String REALM = "todo";

    @Override
    public String getWwwAuthenticateChallenge(HttpRequest<?> request) {
        return request.getAttribute(BearerTokenValidator.REFUSAL, BearerTokenValidator.Refusal.class)
                .map(r -> "Bearer realm=\"" + REALM + "\", error=\"" + r.error() + "\", error_description=\""
                        + r.description() + "\"")
                .orElse("Bearer realm=\"" + REALM + "\"");
    }
}
