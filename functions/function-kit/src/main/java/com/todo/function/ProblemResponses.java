package com.todo.function;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Makes every error the framework answers (unknown route, unreadable body, 401 …) an application/problem+json body,
 * like the errors of our own handlers.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemResponses implements JsonErrorResponseBodyProvider<Problem> {

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        return new Problem("about:blank", status.getReason(), status.getCode(), detail.isEmpty() ? null : detail, null);
    }

    @Override
    public String contentType() {
        return Problem.CONTENT_TYPE;
    }
}
