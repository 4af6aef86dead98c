package com.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Validates event data against the catalog's JSON Schemas (draft 2020-12, formats asserted).
 * Schemas are compiled on first use per type, so a function pays only for the types it handles.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(EventCatalog.SCHEMA_BASE_URI, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    private EventSchemas() {
    }

    /**
     * @return the violations, each naming the failing field as a JSON pointer (e.g. {@code /title: must be at most 200 characters long});
     *         empty when the data is valid
     */
    public static List<String> violations(EventType type, JsonNode data) {
        return schema(type).validate(data).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    /**
     * @return the first of the type's schema's {@code examples} (for a schema that only refers to another, that one's):
     *         data valid for the type, used to prepare a function's decoding path before its first event
     */
    public static JsonNode example(EventType type) {
        JsonNode schema = resource(type.schemaResource());
        JsonNode ref = schema.path("$ref");
        JsonNode examples = (ref.isTextual() && !schema.has("examples") ? resource("schemas/" + ref.asText()) : schema).path("examples");
        if (!examples.has(0)) {
            throw new IllegalStateException("the schema of " + type.type() + " has no example");
        }
        return examples.get(0);
    }

    private static JsonNode resource(String name) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no schema " + name + " on the classpath");
            }
            return EventJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized JsonSchema schema(EventType type) {
        return SCHEMAS.computeIfAbsent(type,
                t -> FACTORY.getSchema(SchemaLocation.of(t.dataSchema().toString()), CONFIG));
    }
}
