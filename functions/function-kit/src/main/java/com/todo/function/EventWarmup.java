package com.todo.function;

import com.todo.events.EventCodec;
import com.todo.events.EventJson;
import com.todo.events.EventRejected;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decodes an example event of each type this function handles (its handler is the application's name; the example is
 * the type's schema's own): reads it as a structured CloudEvent, validates it against its JSON Schema and maps it to
 * its Java type. That is the path a first delivery takes, minus the handler: Jackson builds its deserializers, the
 * schema its validators. Other types are left alone: a cold start has little CPU to spare.
 */
@Singleton
public class EventWarmup implements Warmup {

    private final String function;

    public EventWarmup(@Value("${micronaut.application.name:}") String function) {
        this.function = function;
    }

    /** @return the types whose handler is this function */
    Set<EventType> handled() {
        return Arrays.stream(EventType.values()).filter(t -> t.handler().filter(function::equals).isPresent())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void warm() throws EventRejected {
        for (EventType type : handled()) {
            byte[] data = EventJson.bytes(EventSchemas.example(type));
            byte[] body = StructuredEvents.serialize(StructuredEvents.build(type, "warm-up", "/warm-up", "warm-up",
                    Instant.now(), data));
            EventCodec.decode(Map.of("content-type", List.of(StructuredEvents.CONTENT_TYPE)), body, Set.of(type));
        }
    }
}
