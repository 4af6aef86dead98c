package com.todo.events;

import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceContextTest {

    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static CloudEvent build() {
        return StructuredEvents.deserialize(StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_DELETED,
                "e-1", "/task-api", "t-1", Instant.parse("2026-01-01T00:00:00Z"), "{}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anEventBuiltInsideATraceCarriesItAsTraceparentAndTraceid() {
        try (TraceContext.Scope trace = TraceContext.open(TRACE)) {
            CloudEvent event = build();
            assertEquals(TRACE, event.getExtension("traceparent"));
            assertEquals(TRACE, event.getExtension("traceid"), "daprd keeps an envelope's trace only when traceid is set");
        }
        assertNull(build().getExtension("traceparent"), "closed: no trace");
    }

    @Test
    void aMalformedOrMissingTraceparentIsNoTraceAndScopesNest() {
        try (TraceContext.Scope outer = TraceContext.open(TRACE)) {
            try (TraceContext.Scope inner = TraceContext.open("00-not-a-trace\r\nX: y")) {
                assertNull(build().getExtension("traceparent"));
            }
            try (TraceContext.Scope inner = TraceContext.open(null)) {
                assertNull(build().getExtension("traceparent"));
            }
            assertEquals(TRACE, build().getExtension("traceparent"), "the outer trace again");
        }
    }
}
