package com.todo.function;

import com.todo.events.EventCodec;
import com.todo.events.EventRejected;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes an empty event of every type: reads it as a structured CloudEvent and compiles and applies its JSON Schema,
 * which rejects it. That is the same path a first delivery takes, minus the handler.
 */
@Singleton
public class EventWarmup implements Warmup {

    @Override
    public void warm() {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        for (EventType type : EventType.values()) {
            byte[] body = StructuredEvents.serialize(StructuredEvents.build(type, "warm-up", "/warm-up", "warm-up",
                    Instant.now(), empty));
            try {
                EventCodec.decode(Map.of("content-type", List.of(StructuredEvents.CONTENT_TYPE)), body, Set.of(type));
            } catch (EventRejected expected) {
                // an empty task is invalid: the schema ran
            }
        }
    }
}
