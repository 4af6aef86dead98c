package com.todo.function;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Makes every error the framework answers (unknown route, unreadable body, 401 …) an application/problem+json body,
 * like the errors of our own handlers. A 5xx says nothing about its cause (an exception's message can hold SQL, a
 * class name or the caller's own input): its detail names an id, and the log line with that id holds the cause.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemResponses implements JsonErrorResponseBodyProvider<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String detail;
        if (status.getCode() >= 500) {
            String id = UUID.randomUUID().toString();
            LOG.error("error id={} status={} {} {}", id, status.getCode(), context.getRequest().getMethodName(),
                    context.getRequest().getPath(), context.getRootCause().orElse(null));
            detail = "The server could not answer this request; the error's id in its log is " + id;
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        }
        return new Problem("about:blank", status.getReason(), status.getCode(), detail.isEmpty() ? null : detail, null);
    }

    @Override
    public String contentType() {
        return Problem.CONTENT_TYPE;
    }
}
