package com.todo.function;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** The answer of an event route (architecture D4), in daprd's terms. */
public enum EventOutcome {
    /** Handled, or a duplicate: 200 SUCCESS. */
    SUCCESS(HttpStatus.OK),
    /** Poison: can never be handled; 200 DROP, to the dead-letter topic. */
    DROP(HttpStatus.OK),
    /** Transient failure: 503 RETRY, delivered again later. */
    RETRY(HttpStatus.SERVICE_UNAVAILABLE);

    private final HttpStatus status;

    EventOutcome(HttpStatus status) {
        this.status = status;
    }

    public MutableHttpResponse<String> response() {
        return HttpResponse.<String>status(status).body("{\"status\":\"" + name() + "\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
