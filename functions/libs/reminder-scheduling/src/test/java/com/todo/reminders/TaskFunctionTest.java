package com.todo.reminders;

import com.todo.fake.FakeDaprSidecar;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.function.RecordingSchedulesApi;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every task-* function keeps (architecture D4, D5), run against the function as deployed: its own
 * application on a real port, the Dapr adapters talking to the fake sidecar, the schedules API recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TaskFunctionTest {

    protected static final String APP_TOKEN = "function-app-token";

    protected final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    protected EmbeddedServer server;

    /** The function's name, which is also its route. */
    protected abstract String function();

    protected abstract EventType type();

    /** Asserts the function's effect for this task happened once (called after many deliveries). */
    protected abstract void assertEffectOnce(TaskSnapshot task);

    @BeforeAll
    void startFunction() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", port,
                "todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort(),
                "todo.dapr.timeout", "2s",
                "todo.app-api-token", APP_TOKEN,
                "todo.schedules.url", "http://localhost:" + port,
                "todo.schedules.token", APP_TOKEN,
                "test.schedules-api", "true",
                "todo.watermark.lease", "2s"));
        properties.putAll(extraProperties());
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    protected Map<String, Object> extraProperties() {
        return Map.of();
    }

    @AfterAll
    void stopFunction() {
        server.getApplicationContext().close();
        sidecar.close();
    }

    // ---- the contract ----

    @Test
    void everyShapeIsHandledAndARedeliveryIsADuplicate() {
        for (byte[] event : List.of(event(task(1)), event(task(1)), event(task(1)))) {
            for (Deliveries.Delivery delivery : Deliveries.of(event)) {
                HttpResponse<String> first = post(delivery);
                assertEquals(200, first.statusCode(), delivery.shape() + ": " + first.body());
                assertEquals("SUCCESS", Deliveries.outcome(first), delivery.shape());
                assertEquals("SUCCESS", Deliveries.outcome(post(delivery)), delivery.shape() + " again");
            }
        }
    }

    @Test
    void theWrongTypeAndInvalidDataAreDropped() {
        EventType other = type() == EventType.TASK_CREATED ? EventType.TASK_DELETED : EventType.TASK_CREATED;
        TaskSnapshot task = task(1);
        HttpResponse<String> wrongType = post(Deliveries.daprEnvelope(event(other, task)));
        assertEquals(200, wrongType.statusCode());
        assertEquals("DROP", Deliveries.outcome(wrongType));
        byte[] invalid = StructuredEvents.serialize(StructuredEvents.build(type(), UUID.randomUUID().toString(),
                "/task-api", task.id().toString(), Instant.now(),
                "{\"id\": \"not-a-uuid\", \"title\": \"\"}".getBytes(StandardCharsets.UTF_8)));
        for (Deliveries.Delivery delivery : Deliveries.of(invalid)) {
            HttpResponse<String> answer = post(delivery);
            assertEquals(200, answer.statusCode(), delivery.shape());
            assertEquals("DROP", Deliveries.outcome(answer), delivery.shape());
        }
        assertTrue(sidecar.state().get(TaskWatermarks.key(task.id())) == null, "nothing claimed");
    }

    @Test
    void theSidecarDownIsRetryAndTheSameEventSucceedsWhenRedeliveredAfterRecovery() throws Exception {
        TaskSnapshot task = task(1);
        Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(task));
        sidecar.stop();
        try {
            HttpResponse<String> down = post(delivery);
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("RETRY", Deliveries.outcome(down));
        } finally {
            sidecar.start();
        }
        assertEquals("SUCCESS", redeliverUntilSettled(delivery));
        assertEffectOnce(task);
    }

    @Test
    void withAnAppTokenAnEventWithoutItIs401AndChangesNothing() {
        TaskSnapshot task = task(1);
        int calls = RecordingSchedulesApi.calls().size();
        assertEquals(401, Deliveries.post(server.getPort(), "/" + function(), Deliveries.daprEnvelope(event(task)), null)
                .statusCode());
        assertEquals(401, Deliveries.post(server.getPort(), "/" + function(), Deliveries.daprEnvelope(event(task)), "wrong")
                .statusCode());
        assertEquals(calls, RecordingSchedulesApi.calls().size());
        assertTrue(sidecar.state().get(TaskWatermarks.key(task.id())) == null);
    }

    @Test
    void twentyDeliveriesTenAtOnceHaveOneEffect() throws Exception {
        TaskSnapshot task = task(1);
        byte[] event = event(task);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                outcomes.add(pool.submit(() -> redeliverUntilSettled(Deliveries.daprEnvelope(event))));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals("SUCCESS", outcome.get());
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("SUCCESS", redeliverUntilSettled(Deliveries.of(event).get(i % 3)));
        }
        assertEffectOnce(task);
    }

    @Test
    void theFunctionStartsWithoutADatabase() {
        assertTrue(server.getApplicationContext().getBeanDefinitions(javax.sql.DataSource.class).isEmpty(),
                "no DataSource bean");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.postgresql.Driver"),
                "no JDBC driver on the classpath");
    }

    // ---- helpers ----

    /** Delivers until the answer is not RETRY, as daprd's retry policy would. */
    protected String redeliverUntilSettled(Deliveries.Delivery delivery) throws InterruptedException {
        return Deliveries.settle(server.getPort(), "/" + function(), delivery, APP_TOKEN);
    }

    protected HttpResponse<String> post(Deliveries.Delivery delivery) {
        return Deliveries.post(server.getPort(), "/" + function(), delivery, APP_TOKEN);
    }

    protected byte[] event(TaskSnapshot task) {
        return event(type(), task);
    }

    protected static byte[] event(EventType type, TaskSnapshot task) {
        return StructuredEvents.serialize(StructuredEvents.build(type, UUID.randomUUID().toString(), "/task-api",
                task.id().toString(), task.updatedAt(), EventJson.bytes(task)));
    }

    /** A task with two future reminders and one past one, at the given version. */
    protected static TaskSnapshot task(long version) {
        return task(UUID.randomUUID(), version, Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    protected static TaskSnapshot task(UUID id, long version, Instant dueAt) {
        List<TaskSnapshot.Reminder> reminders = List.of(
                new TaskSnapshot.Reminder(UUID.nameUUIDFromBytes((id + "/1").getBytes()), "PT1H", null, dueAt.minusSeconds(3600)),
                new TaskSnapshot.Reminder(UUID.nameUUIDFromBytes((id + "/2").getBytes()), "P1D", null, dueAt.minus(1, ChronoUnit.DAYS)),
                new TaskSnapshot.Reminder(UUID.nameUUIDFromBytes((id + "/3").getBytes()), null,
                        Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")));
        return withReminders(new TaskSnapshot(id, "alice", "Task " + version, null, "pending", "medium", List.of(), dueAt,
                "UTC", List.of(), null, null, version, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version), null), reminders);
    }

    protected static TaskSnapshot withReminders(TaskSnapshot t, List<TaskSnapshot.Reminder> reminders) {
        return new TaskSnapshot(t.id(), t.userId(), t.title(), t.description(), t.status(), t.priority(), t.tags(),
                t.dueAt(), t.timeZone(), reminders, t.recurrence(), t.seriesId(), t.version(), t.createdAt(),
                t.updatedAt(), t.completedAt());
    }

    /** The schedule calls made for one reminder. */
    protected static List<RecordingSchedulesApi.Call> callsFor(UUID reminderId) {
        return RecordingSchedulesApi.calls().stream()
                .filter(c -> c.name().equals(ReminderJobs.name(reminderId.toString()))).toList();
    }
}
