package com.todo.taskapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.todo.store.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An RFC 9457 problem detail; {@code errors} lists the offending fields of a request body. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail, List<FieldError> errors) {
        Problem body = new Problem("about:blank", status.getReason(), status.getCode(), detail,
                errors == null || errors.isEmpty() ? null : errors);
        return HttpResponse.<Problem>status(status).contentType(CONTENT_TYPE).body(body);
    }
}
