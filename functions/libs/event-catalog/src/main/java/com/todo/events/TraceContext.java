package com.todo.events;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The W3C trace context of the request or event being handled on this thread. Every CloudEvent built meanwhile
 * carries it ({@link StructuredEvents#build}) as its {@code traceparent} and {@code traceid} extensions; daprd keeps
 * an envelope's trace when {@code traceid} is set, so one trace runs from the API request through the outbox, Kafka,
 * the gateway, a scheduled job and every function.
 */
public final class TraceContext {

    private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TraceContext() {
    }

    /**
     * Makes {@code traceparent} the current trace until the scope is closed (a missing or malformed one: no trace);
     * {@code try (var trace = TraceContext.open(header)) { ... }}.
     */
    public static Scope open(String traceparent) {
        String previous = CURRENT.get();
        if (traceparent != null && W3C.matcher(traceparent).matches()) {
            CURRENT.set(traceparent);
        } else {
            CURRENT.remove();
        }
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Restores the trace that was current before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
