package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.domain.TaskRules;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * Requires {@code exp} (the built-in expiration check accepts a token without one) and honours {@code nbf}, both with
 * 60 s of clock skew; requires a {@code sub} that can own tasks (TaskRules.userIdProblem). The subject is read as the
 * token states it: the JWT library turns a numeric {@code sub} into text, which would make 42 the user "42". A
 * request must carry exactly one Authorization header, so no proxy and no server disagree on which token counts.
 */
@Singleton
public class TokenClaimsValidator<T> implements GenericJwtClaimsValidator<T> {

    static final long CLOCK_SKEW_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How a JSON number reads once the JWT library has turned it into text ("42", "4.2E10"). */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9.Ee+-]*");

    @Override
    public boolean validate(Claims claims, T request) {
        Object sub = claims.get(Claims.SUBJECT);
        if (!(sub instanceof String subject) || TaskRules.userIdProblem(subject) != null) {
            return false;
        }
        Instant now = Instant.now();
        Instant expiry = instant(claims.get(Claims.EXPIRATION_TIME));
        if (expiry == null || !now.isBefore(expiry.plusSeconds(CLOCK_SKEW_SECONDS))) {
            return false;
        }
        Object nbf = claims.get(Claims.NOT_BEFORE);
        if (nbf != null) {
            Instant notBefore = instant(nbf);
            if (notBefore == null || now.isBefore(notBefore.minusSeconds(CLOCK_SKEW_SECONDS))) {
                return false;
            }
        }
        if (!(request instanceof HttpRequest<?> http)) {
            return true;
        }
        if (http.getHeaders().getAll(HttpHeaders.AUTHORIZATION).size() != 1) {
            return false;
        }
        // only a subject that reads as a number can have been one: the payload is read again just then
        return !NUMBER.matcher(subject).matches() || subjectIsText(http);
    }


    private static Instant instant(Object claim) {
        return claim instanceof Date date ? date.toInstant()
                : claim instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
    }

    /** The one bearer token's payload, whose signature was just checked, holds {@code sub} as a JSON string. */
    private static boolean subjectIsText(HttpRequest<?> request) {
        String[] parts = request.getHeaders().get(HttpHeaders.AUTHORIZATION).trim().split("\\s+", 2);
        String[] jwt = parts.length == 2 ? parts[1].split("\\.") : new String[0];
        if (jwt.length < 2) {
            return false;
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            return payload.path(Claims.SUBJECT).isTextual();
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
