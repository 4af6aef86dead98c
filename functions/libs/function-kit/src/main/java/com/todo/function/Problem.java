package com.todo.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An RFC 9457 problem detail, the body of every error answer; {@code errors} lists offending request fields. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable List<FieldProblem> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** One offending field of a request, e.g. {@code reminders[1].before}. */
    @Serdeable
    public record FieldProblem(String field, String message) {
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return response(status, detail, List.of());
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail, List<FieldProblem> errors) {
        Problem body = new Problem("about:blank", status.getReason(), status.getCode(), detail,
                errors == null || errors.isEmpty() ? null : errors);
        return HttpResponse.<Problem>status(status).contentType(CONTENT_TYPE).body(body);
    }
}
