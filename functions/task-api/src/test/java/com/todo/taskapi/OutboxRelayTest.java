package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.fake.FakeDaprSidecar;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.StructuredEvents;
import com.todo.domain.OutboxRelay;
import com.todo.domain.OutboxRow;
import io.cloudevents.CloudEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox relay with the real Dapr publisher against an in-process fake sidecar: pending while the sidecar is
 * down, then every event exactly once and per task in order, also with two relays (two application contexts) at once.
 */
@MicronautTest(transactional = false)
class OutboxRelayTest extends ApiTest {

    private final FakeDaprSidecar sidecar = new FakeDaprSidecar();
    private String databaseUrl;

    @Inject
    OutboxRelay relay;
    @Inject
    TransactionOperations<Connection> tx;

    @Override
    Map<String, String> extraProperties() {
        return Map.of(
                "todo.events.publisher", "dapr",
                "todo.dapr.grpc-port", String.valueOf(sidecar.port()),
                "todo.dapr.http-port", String.valueOf(sidecar.httpPort()),
                "todo.dapr.timeout", "2s",
                "todo.outbox.backoff-base", "10ms",
                "todo.outbox.backoff-max", "100ms",
                "todo.outbox.retry-interval", "200ms");
    }

    @AfterAll
    void stopSidecar() {
        sidecar.close();
    }

    @Test
    void pendingWhileTheSidecarIsDownThenEachEventOnceInOrderWithTwoRelays() throws Exception {
        sidecar.stop();
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = create("relay-user", "{\"title\": \"task " + i + "\"}").get("id").asText();
            expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"priority\": \"high\"}", token("relay-user")));
            expect(200, send("POST", "/api/v1/tasks/" + id + "/complete", null, token("relay-user")));
            expect(200, send("PATCH", "/api/v1/tasks/" + id, "{\"status\": \"pending\"}", token("relay-user")));
            expect(204, send("DELETE", "/api/v1/tasks/" + id, null, token("relay-user")));
            tasks.add(id);
        }
        int expected = tasks.size() * 5;
        Thread.sleep(1100);
        OutboxRelay.FlushResult stuck = relay.flush();
        assertEquals(0, stuck.published());
        assertEquals(expected, stuck.pending());
        assertTrue(stuck.oldestPendingSeconds() >= 1, "the oldest pending row's age: " + stuck);
        assertEquals(expected, pendingRows());
        assertTrue(failedAttempts() > 0, "publish attempts were made and failed");
        String metrics = send("GET", "/prometheus", null, null).body();
        assertTrue(metrics.contains("todo_outbox_publish_failures_total"), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.equals("todo_outbox_pending " + expected + ".0")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("todo_outbox_oldest_pending_seconds ")
                && Double.parseDouble(l.split(" ")[1]) >= 1), metrics);
        assertTrue(tasks.stream().allMatch(t -> publishedFor(t).isEmpty()), "nothing reached the sidecar");

        Map<String, Object> second = new HashMap<>(getPropertiesOfThisTest());
        second.put("micronaut.server.enabled", false);
        try (ApplicationContext other = ApplicationContext.run(second)) {
            OutboxRelay otherRelay = other.getBean(OutboxRelay.class);
            sidecar.start();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> runs = new ArrayList<>();
            for (OutboxRelay r : List.of(relay, otherRelay, relay, otherRelay)) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        r.flush();
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            pool.shutdown();
            await(() -> pendingRows() == 0, "every row published");
        }

        List<FakeDaprSidecar.Published> seen = sidecar.published().stream()
                .filter(p -> tasks.contains(cloudEvent(p).getSubject())).toList();
        Map<String, Long> perId = seen.stream().collect(Collectors.groupingBy(this::eventId, Collectors.counting()));
        assertEquals(expected, perId.size(), "every event reached the sidecar");
        assertTrue(perId.values().stream().allMatch(n -> n == 1), () -> "each exactly once: " + perId);
        Map<String, List<Long>> versionsPerTask = new LinkedHashMap<>();
        for (FakeDaprSidecar.Published p : seen) {
            CloudEvent event = cloudEvent(p);
            versionsPerTask.computeIfAbsent(event.getSubject(), k -> new ArrayList<>()).add(data(event).get("version").asLong());
        }
        for (String task : tasks) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versionsPerTask.get(task), "in order for " + task);
        }
    }

    @Test
    void aCrashBetweenPublishAndMarkRepublishesTheSameEvent() throws Exception {
        sidecar.start();
        try {
            execute("""
                    CREATE FUNCTION simulated_crash() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'simulated crash after publish'; END $$ LANGUAGE plpgsql;
                    CREATE TRIGGER simulated_crash BEFORE UPDATE OF published_at ON outbox
                    FOR EACH ROW WHEN (NEW.published_at IS NOT NULL) EXECUTE FUNCTION simulated_crash();""");
            String id = create("crash-user", "{\"title\": \"published, not marked\"}").get("id").asText();
            await(() -> publishedFor(id).size() >= 2, "published more than once while marking fails");
            execute("DROP TRIGGER simulated_crash ON outbox; DROP FUNCTION simulated_crash();");
            await(() -> pendingRows() == 0, "marked once the crash is gone");

            OutboxRow row = outbox.findByAggregateIdOrderBySeq(id).get(0);
            List<FakeDaprSidecar.Published> copies = publishedFor(id);
            assertTrue(copies.size() >= 2);
            for (FakeDaprSidecar.Published copy : copies) {
                assertEquals(row.eventId(), eventId(copy), "the same event id every time");
                assertArrayEquals(row.payload().getBytes(StandardCharsets.UTF_8), copy.data(), "the same bytes");
            }
        } finally {
            execute("DROP TRIGGER IF EXISTS simulated_crash ON outbox; DROP FUNCTION IF EXISTS simulated_crash();");
        }
    }

    @Test
    void theSidecarSeesOurEventUnchangedWithThePartitionKey() throws Exception {
        sidecar.start();
        String id = create("shape-user", """
                {"title": "Exact", "dueAt": "2026-09-01T08:00:00Z", "reminders": [{"before": "PT30M"}]}""")
                .get("id").asText();
        await(() -> publishedFor(id).size() == 1, "published");
        FakeDaprSidecar.Published seen = publishedFor(id).get(0);
        OutboxRow row = outbox.findByAggregateIdOrderBySeq(id).get(0);
        assertArrayEquals(row.payload().getBytes(StandardCharsets.UTF_8), seen.data());
        CloudEvent event = cloudEvent(seen);
        assertEquals(row.eventId(), event.getId());
        assertEquals("com.todo.task.created", event.getType());
        assertEquals("/task-api", event.getSource().toString());
        assertEquals(id, event.getSubject());
        assertEquals(expect(200, send("GET", "/api/v1/tasks/" + id, null, token("shape-user"))), data(event));
        assertEquals("taskpubsub", seen.pubsubName());
        assertEquals("task-events", seen.topic());
        assertEquals("application/cloudevents+json", seen.dataContentType());
        assertEquals(id, seen.metadata().get("partitionKey"));
    }

    @Test
    void pendingRowsArePublishedWhenTheProcessShutsDown() throws Exception {
        sidecar.stop();
        // its own database, so that only the relay of the context being shut down can publish the row
        String ownDatabase = EmbeddedDatabase.shared().newDatabase();
        com.todo.domain.Migrate.run(ownDatabase, EmbeddedDatabase.USER, "");
        Map<String, Object> properties = new HashMap<>(getPropertiesOfThisTest());
        properties.put("datasources.default.url", ownDatabase);
        properties.put("micronaut.server.enabled", false);
        properties.put("todo.outbox.retry-interval", "1h");
        ApplicationContext other = ApplicationContext.run(properties);
        String id;
        try {
            id = other.getBean(com.todo.domain.TaskService.class).create("shutdown-user",
                    new com.todo.domain.TaskDraft("flushed on shutdown", null, "pending", "medium", List.of(), null, "UTC",
                            List.of(), null)).id().toString();
            var otherTx = other.getBean(com.todo.domain.OutboxRepository.class);
            String task = id;
            await(() -> otherTx.findByAggregateIdOrderBySeq(task).get(0).attempts() > 0, "the after-commit publish failed");
            assertEquals(null, otherTx.findByAggregateIdOrderBySeq(task).get(0).publishedAt());
            sidecar.start();
        } finally {
            other.close();
        }
        assertEquals(1, publishedFor(id).size(), "published by the shutdown flush");
    }

    private Map<String, String> getPropertiesOfThisTest() {
        if (databaseUrl == null) {
            throw new IllegalStateException("no database yet");
        }
        Map<String, String> properties = new HashMap<>(extraProperties());
        properties.put("datasources.default.url", databaseUrl);
        properties.put("datasources.default.username", EmbeddedDatabase.USER);
        properties.put("todo.jwt.secret", SECRET);
        return properties;
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        databaseUrl = properties.get("datasources.default.url");
        return properties;
    }

    private List<FakeDaprSidecar.Published> publishedFor(String taskId) {
        return sidecar.published().stream().filter(p -> taskId.equals(cloudEvent(p).getSubject())).toList();
    }

    private String eventId(FakeDaprSidecar.Published p) {
        return cloudEvent(p).getId();
    }

    private static CloudEvent cloudEvent(FakeDaprSidecar.Published p) {
        return StructuredEvents.deserialize(p.data());
    }

    private static JsonNode data(CloudEvent event) {
        try {
            return JSON.readTree(event.getData().toBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private long pendingRows() {
        return query("SELECT count(*) FROM outbox WHERE published_at IS NULL");
    }

    private long failedAttempts() {
        return query("SELECT coalesce(sum(attempts), 0) FROM outbox WHERE published_at IS NULL");
    }

    private long query(String sql) {
        return tx.executeRead(status -> {
            try (Statement s = status.getConnection().createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void execute(String sql) {
        tx.executeWrite(status -> {
            try (Statement s = status.getConnection().createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
