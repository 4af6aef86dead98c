package com.todo.function;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decodes an example event of each type this function handles (its handler is the application's name; the example is
 * the type's schema's own): reads it as a structured CloudEvent, validates it against its JSON Schema and maps it to
 * its Java type. That is the path a first delivery takes, minus the handler: Jackson builds its deserializers, the
 * schema its validators. Then serializes an example of each type the function builds (the catalog's builders), so
 * that Jackson's serializer for its data is ready for the first publish. Other types are left alone: a cold start has
 * little CPU to spare.
 */
@Singleton
public class EventWarmup implements Warmup {

    /** Types decoded, data types encoded in this process: {@link FunctionMain} does it before the context exists. */
    private static final Set<EventType> DECODED = ConcurrentHashMap.newKeySet();
    private static final Set<Class<?>> ENCODED = ConcurrentHashMap.newKeySet();

    private final String function;

    public EventWarmup(@Value("${micronaut.application.name:}") String function) {
        this.function = function;
    }

    /** @return the types whose handler is this function */
    Set<EventType> handled() {
        return handledBy(function);
    }

    static Set<EventType> handledBy(String function) {
        return Arrays.stream(EventType.values()).filter(t -> t.handler().filter(function::equals).isPresent())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** @return the types this deployable builds, serializing their data */
    static Set<EventType> builtBy(String deployable) {
        return Arrays.stream(EventType.values()).filter(t -> t.builders().contains(deployable))
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void warm() throws EventRejected, JsonProcessingException {
        prepare(function);
    }

    /** Decodes what the deployable handles and encodes what it builds, each type once per process. */
    static void prepare(String deployable) throws EventRejected, JsonProcessingException {
        decodeExamples(handledBy(deployable));
        encodeExamples(builtBy(deployable));
    }

    static boolean decoded(EventType type) {
        return DECODED.contains(type);
    }

    static boolean encoded(Class<?> dataType) {
        return ENCODED.contains(dataType);
    }

    private static void decodeExamples(Set<EventType> types) throws EventRejected {
        for (EventType type : types) {
            if (!DECODED.contains(type)) {
                decodeExample(type);
                DECODED.add(type);
            }
        }
    }

    /** The type's schema example as a first delivery brings it; throws when the codec rejects it. */
    static void decodeExample(EventType type) throws EventRejected {
        byte[] data = EventJson.bytes(EventSchemas.example(type));
        byte[] body = StructuredEvents.serialize(StructuredEvents.build(type, "warm-up", "/warm-up", "warm-up",
                Instant.now(), data));
        EventCodec.decode(Map.of("content-type", List.of(StructuredEvents.CONTENT_TYPE)), body, Set.of(type));
    }

    /** Serializes each type's example as its Java type, so that Jackson builds the serializer a publish needs. */
    private static void encodeExamples(Set<EventType> types) throws JsonProcessingException {
        for (EventType type : types) {
            if (!ENCODED.contains(type.dataType())) {
                EventJson.bytes(EventJson.MAPPER.treeToValue(EventSchemas.example(type), type.dataType()));
                ENCODED.add(type.dataType());
            }
        }
    }
}
