package com.todo.taskapi;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Date;

/**
 * Requires {@code sub} and {@code exp} (the built-in expiration check accepts a token without {@code exp}) and allows
 * 60 s of clock skew.
 */
@Singleton
public class TokenClaimsValidator<T> implements GenericJwtClaimsValidator<T> {

    static final long CLOCK_SKEW_SECONDS = 60;

    @Override
    public boolean validate(Claims claims, T request) {
        Object sub = claims.get(Claims.SUBJECT);
        Object exp = claims.get(Claims.EXPIRATION_TIME);
        if (!(sub instanceof String subject) || subject.isBlank() || exp == null) {
            return false;
        }
        Instant expiry = exp instanceof Date date ? date.toInstant()
                : exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
        return expiry != null && Instant.now().isBefore(expiry.plusSeconds(CLOCK_SKEW_SECONDS));
    }
}
