package com.todo.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.events.EventJson;
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

    /** The field of a DROP answer that says why (daprd ignores it; the gateway keeps it for the dead-letter inbox). */
    public static final String REASON = "reason";
    private static final int MAX_REASON = 500;

    /** A DROP answer that carries its reason. */
    public static MutableHttpResponse<String> drop(String reason) {
        ObjectNode body = EventJson.MAPPER.createObjectNode().put("status", DROP.name())
                .put(REASON, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        return HttpResponse.<String>status(DROP.status).body(body.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    public MutableHttpResponse<String> response() {
        return HttpResponse.<String>status(status).body("{\"status\":\"" + name() + "\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
