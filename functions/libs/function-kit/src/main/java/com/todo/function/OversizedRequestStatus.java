package com.todo.function;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Micronaut answers every request Netty could not read for its size with a bare 413. With this status route the
 * decoder's own exception reaches {@link #tooLong}: the headers get 431 (RFC 6585) and the request line 414, statuses
 * that tell a client what to shorten.
 */
@Controller
public class OversizedRequestStatus {

    @Error(status = HttpStatus.REQUEST_ENTITY_TOO_LARGE, global = true)
    public HttpResponse<Problem> tooLarge() {
        return Problem.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "The request's body is too large");
    }

    @Error(exception = TooLongFrameException.class, global = true)
    public HttpResponse<Problem> tooLong(HttpRequest<?> request, TooLongFrameException e) {
        if (e instanceof TooLongHttpHeaderException) {
            return Problem.response(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request's headers are too large");
        }
        if (e instanceof TooLongHttpLineException) {
            return Problem.response(HttpStatus.REQUEST_URI_TOO_LONG, "The request's path and query are too long");
        }
        return tooLarge();
    }
}
