package com.todo.recurringscheduled;

import com.todo.fake.FakeDaprSidecar;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.domain.Migrate;
import com.todo.domain.OutboxRepository;
import com.todo.domain.OutboxRow;
import com.todo.domain.TaskService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** recurring-scheduled as deployed: real HTTP, embedded PostgreSQL, the fake sidecar behind the relay. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecurringScheduledFunctionTest {

    private static final String APP_TOKEN = "recurring-token";

    private final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    private String databaseUrl;
    private EmbeddedServer server;

    @BeforeAll
    void start() {
        databaseUrl = EmbeddedDatabase.shared().newDatabase();
        Migrate.run(databaseUrl, EmbeddedDatabase.USER, "");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "datasources.default.url", databaseUrl,
                "datasources.default.username", EmbeddedDatabase.USER,
                "datasources.default.connection-timeout", 2000,
                "todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort(),
                "todo.app-api-token", APP_TOKEN));
    }

    @AfterAll
    void stop() {
        server.getApplicationContext().close();
        sidecar.close();
    }

    @Test
    void everyShapeCreatesTheOccurrenceOnceWithTheSeriesCarriedOver() {
        for (int shape = 0; shape < 3; shape++) {
            RecurringScheduled next = next(Instant.parse("2026-03-30T07:00:00Z"));
            Deliveries.Delivery delivery = Deliveries.of(event(next)).get(shape);
            assertEquals("SUCCESS", outcome(delivery), delivery.shape());
            assertEquals("SUCCESS", outcome(delivery), delivery.shape() + " again");
            TaskSnapshot task = assertCreatedOnce(next);
            assertEquals(Instant.parse("2026-03-30T07:00:00Z"), task.dueAt());
            assertEquals(next.seriesId(), task.seriesId());
            assertEquals(next.template().seriesStart(), task.recurrence().seriesStart());
            assertEquals("FREQ=DAILY", task.recurrence().rule());
            assertEquals("pending", task.status());
            assertEquals(List.of("PT15M"), task.reminders().stream().map(TaskSnapshot.Reminder::before).toList());
            assertEquals(Instant.parse("2026-03-30T06:45:00Z"), task.reminders().get(0).remindAt());
        }
    }

    @Test
    void theWrongTypeAndInvalidDataAreDropped() {
        RecurringScheduled next = next(Instant.parse("2026-04-01T07:00:00Z"));
        byte[] wrongType = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_DELETED, "e-" + UUID.randomUUID(),
                "/task-api", next.nextTaskId().toString(), Instant.now(), EventJson.bytes(next)));
        assertEquals("DROP", outcome(Deliveries.daprEnvelope(wrongType)));
        byte[] invalid = StructuredEvents.serialize(StructuredEvents.build(EventType.RECURRING_SCHEDULED,
                "e-" + UUID.randomUUID(), "/task-completed", next.nextTaskId().toString(), Instant.now(),
                "{\"seriesId\": 42}".getBytes(StandardCharsets.UTF_8)));
        for (Deliveries.Delivery delivery : Deliveries.of(invalid)) {
            assertEquals("DROP", outcome(delivery), delivery.shape());
        }
        assertEquals(0, rowsFor(next).size());
    }

    @Test
    void theDatabaseDownIsRetryAndTheSameEventSucceedsAfterRecovery() throws Exception {
        RecurringScheduled next = next(Instant.parse("2026-04-02T07:00:00Z"));
        Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(next));
        EmbeddedDatabase.shared().setAvailable(databaseUrl, false);
        try {
            HttpResponse<String> down = Deliveries.post(server.getPort(), "/recurring-scheduled", delivery, APP_TOKEN);
            assertEquals(503, down.statusCode(), down.body());
        } finally {
            EmbeddedDatabase.shared().setAvailable(databaseUrl, true);
        }
        assertEquals("SUCCESS", settle(delivery));
        assertCreatedOnce(next);
    }

    @Test
    void twentyDeliveriesTenAtOnceCreateOneOccurrenceAndOneEvent() throws Exception {
        RecurringScheduled next = next(Instant.parse("2026-04-03T07:00:00Z"));
        byte[] event = event(next);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Deliveries.Delivery delivery = Deliveries.of(event).get(i % 3);
                outcomes.add(pool.submit(() -> settle(delivery)));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals("SUCCESS", outcome.get());
            }
        } finally {
            pool.shutdown();
        }
        assertCreatedOnce(next);
    }

    @Test
    void withAnAppTokenAnEventWithoutItIs401AndChangesNothing() {
        RecurringScheduled next = next(Instant.parse("2026-04-04T07:00:00Z"));
        assertEquals(401, Deliveries.post(server.getPort(), "/recurring-scheduled", Deliveries.daprEnvelope(event(next)),
                null).statusCode());
        assertEquals(0, rowsFor(next).size());
    }

    // ---- helpers ----

    private static RecurringScheduled next(Instant occurrenceAt) {
        UUID seriesId = UUID.randomUUID();
        return new RecurringScheduled(seriesId, seriesId, EventIds.occurrence(seriesId, occurrenceAt), "alice",
                occurrenceAt, new RecurringScheduled.Template("Standup", "daily sync", "high", List.of("work"),
                "Europe/Berlin", List.of("PT15M"), "FREQ=DAILY", Instant.parse("2026-03-01T08:00:00Z")));
    }

    private static byte[] event(RecurringScheduled next) {
        return StructuredEvents.serialize(StructuredEvents.build(EventType.RECURRING_SCHEDULED,
                next.nextTaskId().toString(), "/task-completed", next.nextTaskId().toString(), Instant.now(),
                EventJson.bytes(next)));
    }

    private TaskSnapshot assertCreatedOnce(RecurringScheduled next) {
        List<OutboxRow> rows = rowsFor(next);
        assertEquals(List.of("com.todo.task.created"), rows.stream().map(OutboxRow::type).toList());
        assertEquals("/recurring-scheduled", StructuredEvents.deserialize(rows.get(0).payload().getBytes(StandardCharsets.UTF_8))
                .getSource().toString());
        return server.getApplicationContext().getBean(TaskService.class).find(next.userId(), next.nextTaskId()).orElseThrow();
    }

    private List<OutboxRow> rowsFor(RecurringScheduled next) {
        return server.getApplicationContext().getBean(OutboxRepository.class)
                .findByAggregateIdOrderBySeq(next.nextTaskId().toString());
    }

    private String outcome(Deliveries.Delivery delivery) {
        return Deliveries.outcome(Deliveries.post(server.getPort(), "/recurring-scheduled", delivery, APP_TOKEN));
    }

    private String settle(Deliveries.Delivery delivery) {
        return Deliveries.settle(server.getPort(), "/recurring-scheduled", delivery, APP_TOKEN);
    }
}
