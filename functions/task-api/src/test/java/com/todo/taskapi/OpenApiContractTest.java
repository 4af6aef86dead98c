package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.todo.events.ReminderWindow;
import com.todo.events.TaskLimits;
import com.todo.domain.ReminderTimes;
import com.todo.domain.TaskRules;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the jar serves describes the API the router serves, with the limits and formats the code
 * enforces (TaskLimits, TaskRules, ReminderTimes): change one and this fails until the other follows.
 */
@MicronautTest(transactional = false)
class OpenApiContractTest extends ApiTest {

    private static final String DOCUMENT = "META-INF/swagger/todo-functions-task-api-1.yml";

    @Inject
    Router router;

    private static JsonNode document() throws Exception {
        try (InputStream in = OpenApiContractTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertNotNull(in, DOCUMENT + " is not on the classpath");
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void everyUserRouteIsAnOperationAndEveryOperationARoute() throws Exception {
        Set<String> routes = router.uriRoutes()
                .map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate().toPathString())
                // Micronaut answers HEAD wherever it answers GET, as HTTP has it
                .filter(r -> r.contains(" /api/") && !r.startsWith("HEAD "))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document().get("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        assertEquals(routes, operations);
    }

    @Test
    void theDocumentStatesTheIdempotencyWindowTheCodeKeeps() throws Exception {
        String described = document().at("/components/parameters/IdempotencyKey/description").asText();
        long hours = java.time.Duration.parse(com.todo.domain.IdempotencyKeys.DEFAULT_WINDOW).toHours();
        assertTrue(described.contains("within " + hours + " hours"), described);
    }

    @Test
    void theDocumentStatesTheLimitsTheCodeEnforces() throws Exception {
        JsonNode schemas = document().at("/components/schemas");
        assertEquals(TaskLimits.MAX_TITLE, schemas.at("/Title/maxLength").asInt());
        assertEquals(TaskLimits.MAX_DESCRIPTION, schemas.at("/Description/maxLength").asInt());
        assertEquals(TaskLimits.MAX_TAG, schemas.at("/Tag/maxLength").asInt());
        assertEquals(TaskLimits.MAX_TAGS, schemas.at("/Tags/maxItems").asInt());
        assertEquals(TaskLimits.MAX_REMINDERS, schemas.at("/Reminders/maxItems").asInt());
        JsonNode list = document().at("/paths/~1api~1v1~1tasks/get/parameters");
        for (JsonNode parameter : list) {
            switch (parameter.get("name").asText()) {
                case "q" -> assertEquals(TaskLimits.MAX_QUERY, parameter.at("/schema/maxLength").asInt());
                case "tag" -> assertEquals(TaskLimits.MAX_TAG, parameter.at("/schema/maxLength").asInt());
                case "size" -> assertEquals(100, parameter.at("/schema/maximum").asInt());
                default -> { }
            }
        }
        String instant = schemas.at("/Instant/description").asText();
        assertTrue(instant.contains(TaskLimits.EARLIEST.toString()) && instant.contains(TaskLimits.LATEST.toString()),
                instant);
        String rule = schemas.at("/RecurrenceInput/description").asText();
        assertTrue(rule.contains(TaskLimits.RECURRENCE_HORIZON_YEARS + " years")
                && rule.contains("at most " + TaskLimits.MAX_INTERVAL), rule);
        String create = document().at("/paths/~1api~1v1~1tasks/post/description").asText();
        assertTrue(create.contains(ReminderWindow.LATE.toMinutes() + " minutes before the task was written"), create);
        assertTrue(document().at("/components/responses/Unavailable/headers/Retry-After/required").asBoolean());
        // every operation reads the database: each may answer 503 (DatabaseDownTest)
        document().get("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(operation -> !operation.getKey().equals("parameters"))
                .forEach(operation -> assertTrue(operation.getValue().at("/responses/503").isObject(),
                        operation.getKey() + " " + path.getKey())));
    }

    @Test
    void theDocumentsPatternsAreTheOnesTheCodeMatches() throws Exception {
        JsonNode schemas = document().at("/components/schemas");
        assertEquals(ReminderTimes.PATTERN, schemas.at("/Duration/pattern").asText());
        for (String visible : new String[]{"/Title/pattern", "/Tag/pattern"}) {
            assertTrue(schemas.at(visible).asText().contains(TaskRules.VISIBLE), visible + " names another blank set");
        }
    }
}
