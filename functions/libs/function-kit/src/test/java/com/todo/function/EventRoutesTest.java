package com.todo.function;

import com.todo.events.DecodedEvent;
import com.todo.events.EventJson;
import com.todo.events.EventRejected;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.ReminderDue;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one event route: each catalog function on its own path, with its typed data, and its outcome in daprd's terms. */
class EventRoutesTest {

    static final String TOKEN = "app-token-for-tests";

    /** Stands for task-created: what it received; a task titled "poison" is rejected, "flaky" fails transiently. */
    @Singleton
    @Requires(property = "test.event-routes")
    static class CreatedHandler implements EventHandler<TaskSnapshot> {
        final List<DecodedEvent<TaskSnapshot>> received = new CopyOnWriteArrayList<>();

        @Override
        public EventType type() {
            return EventType.TASK_CREATED;
        }

        @Override
        public EventOutcome handle(DecodedEvent<TaskSnapshot> event) throws EventRejected {
            received.add(event);
            return switch (event.data().title()) {
                case "poison" -> throw new EventRejected("a poison task");
                case "flaky" -> throw new IllegalStateException("the database went away");
                default -> EventOutcome.SUCCESS;
            };
        }
    }

    /** Stands for reminder-due, the second function of a local-mode process. */
    @Singleton
    @Requires(property = "test.event-routes")
    static class DueHandler implements EventHandler<ReminderDue> {
        final List<ReminderDue> received = new CopyOnWriteArrayList<>();

        @Override
        public EventType type() {
            return EventType.REMINDER_DUE;
        }

        @Override
        public EventOutcome handle(DecodedEvent<ReminderDue> event) {
            received.add(event.data());
            return EventOutcome.SUCCESS;
        }
    }

    /** Declares the wrong data class for its type. */
    @Singleton
    @Requires(property = "test.event-routes.mistyped")
    static class MistypedHandler implements EventHandler<ReminderDue> {
        @Override
        public EventType type() {
            return EventType.TASK_UPDATED;
        }

        @Override
        public EventOutcome handle(DecodedEvent<ReminderDue> event) {
            return EventOutcome.SUCCESS;
        }
    }

    /** A second handler of task-created. */
    @Singleton
    @Requires(property = "test.event-routes.twice")
    static class SecondCreatedHandler implements EventHandler<TaskSnapshot> {
        @Override
        public EventType type() {
            return EventType.TASK_CREATED;
        }

        @Override
        public EventOutcome handle(DecodedEvent<TaskSnapshot> event) {
            return EventOutcome.SUCCESS;
        }
    }

    private static EmbeddedServer start(String... switches) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("micronaut.server.port", -1,
                "todo.app-api-token", TOKEN, "todo.warmup.enabled", false));
        for (String name : switches) {
            properties.put(name, true);
        }
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private static byte[] event(EventType type, String title) throws Exception {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) EventSchemas.example(type).deepCopy();
        if (title != null) {
            data.put("title", title);
        }
        return StructuredEvents.serialize(StructuredEvents.build(type, UUID.randomUUID().toString(), "/test", "s",
                Instant.now(), EventJson.bytes(data)));
    }

    @Test
    void eachFunctionIsServedOnItsCatalogNameWithItsTypedDataInEveryDeliveryShape() throws Exception {
        try (EmbeddedServer app = start("test.event-routes")) {
            CreatedHandler created = app.getApplicationContext().getBean(CreatedHandler.class);
            DueHandler due = app.getApplicationContext().getBean(DueHandler.class);
            byte[] task = event(EventType.TASK_CREATED, "Write the report");
            for (Deliveries.Delivery delivery : Deliveries.of(task)) {
                HttpResponse<String> answer = Deliveries.post(app.getPort(), "/task-created", delivery, TOKEN);
                assertEquals(200, answer.statusCode(), delivery.shape() + ": " + answer.body());
                assertEquals("SUCCESS", Deliveries.outcome(answer), delivery.shape());
            }
            assertEquals(3, created.received.size());
            assertEquals("Write the report", created.received.get(0).data().title());
            assertEquals(StructuredEvents.deserialize(task).getId(), created.received.get(0).id());

            HttpResponse<String> reminder = Deliveries.post(app.getPort(), "/reminder-due",
                    Deliveries.daprEnvelope(event(EventType.REMINDER_DUE, null)), TOKEN);
            assertEquals("SUCCESS", Deliveries.outcome(reminder), reminder.body());
            assertEquals(1, due.received.size());
            assertEquals(3, created.received.size(), "each function receives only its own path's events");
            assertEquals(java.util.Set.of("reminder-due", "task-created"),
                    app.getApplicationContext().getBean(EventRoutes.class).functions());
        }
    }

    @Test
    void aRejectedEventIsDropAnyOtherFailureIsRetryAndAnotherTypeOnThePathIsDropWithoutRunningTheHandler()
            throws Exception {
        try (EmbeddedServer app = start("test.event-routes")) {
            CreatedHandler created = app.getApplicationContext().getBean(CreatedHandler.class);
            HttpResponse<String> poison = Deliveries.post(app.getPort(), "/task-created",
                    Deliveries.daprEnvelope(event(EventType.TASK_CREATED, "poison")), TOKEN);
            assertEquals(200, poison.statusCode());
            assertEquals("DROP", Deliveries.outcome(poison));
            assertEquals("a poison task", EventJson.MAPPER.readTree(poison.body()).path("reason").asText(),
                    "the reason goes back with the answer, for the dead-letter inbox");
            HttpResponse<String> flaky = Deliveries.post(app.getPort(), "/task-created",
                    Deliveries.daprEnvelope(event(EventType.TASK_CREATED, "flaky")), TOKEN);
            assertEquals(503, flaky.statusCode());
            assertEquals("RETRY", Deliveries.outcome(flaky));
            HttpResponse<String> other = Deliveries.post(app.getPort(), "/task-created",
                    Deliveries.daprEnvelope(event(EventType.TASK_UPDATED, "Other")), TOKEN);
            assertEquals("DROP", Deliveries.outcome(other), "a type the function does not handle is poison there");
            assertTrue(EventJson.MAPPER.readTree(other.body()).path("reason").asText().contains("com.todo.task.updated"),
                    other.body());
            assertEquals(2, created.received.size(), "the handler ran for its own type only");
        }
    }

    @Test
    void aPathThatNamesNoServedFunctionIsA404ProblemAndEveryEventPathNeedsTheAppToken() throws Exception {
        try (EmbeddedServer app = start("test.event-routes")) {
            byte[] task = event(EventType.TASK_CREATED, "Write the report");
            for (String path : List.of("/task-updated", "/nothing-here")) {
                HttpResponse<String> answer = Deliveries.post(app.getPort(), path, Deliveries.daprEnvelope(task), TOKEN);
                assertEquals(404, answer.statusCode(), path + ": " + answer.body());
                assertEquals(Problem.CONTENT_TYPE, answer.headers().firstValue("content-type").orElse(""));
            }
            HttpResponse<String> anonymous = Deliveries.post(app.getPort(), "/task-created",
                    Deliveries.daprEnvelope(task), null);
            assertEquals(401, anonymous.statusCode());
            assertEquals(0, app.getApplicationContext().getBean(CreatedHandler.class).received.size());
        }
    }

    @Test
    void aHandlerTypedWithAnotherDataClassThanItsCatalogTypeOrASecondHandlerOfATypeIsRefusedByName() {
        try (EmbeddedServer app = start("test.event-routes.mistyped")) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> app.getApplicationContext().getBean(EventRoutes.class));
            assertTrue(rootMessage(e).contains("MistypedHandler handles com.todo.task.updated as "
                    + ReminderDue.class.getName()), rootMessage(e));
        }
        try (EmbeddedServer app = start("test.event-routes", "test.event-routes.twice")) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> app.getApplicationContext().getBean(EventRoutes.class));
            assertTrue(rootMessage(e).startsWith("two handlers of com.todo.task.created"), rootMessage(e));
        }
    }

    @Test
    void withoutAHandlerTheRouteIsNotThere() {
        try (EmbeddedServer app = start()) {
            assertTrue(app.getApplicationContext().findBean(EventRoutes.class).isEmpty());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }
}
