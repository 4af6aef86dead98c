package com.todo.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventJson;
import com.todo.events.EventPublisher;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.function.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system in local mode, driven through its public API (and, for the poison event, its broker's ingress):
 * events flow through the local broker, the gateway and the functions as they would through daprd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalModeE2ETest {

    private static final String SECRET = "e2e-secret-e2e-secret-e2e-secret-0123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalSystem system;

    @BeforeAll
    void start() throws IOException {
        Path dataDir = java.nio.file.Files.createTempDirectory("todo-e2e");
        system = LocalSystem.start(dataDir, 0, null, null, null, SECRET);
    }

    @AfterAll
    void stop() {
        system.close();
    }

    @Test
    void aReminderFiveSecondsAheadBecomesANotification() throws Exception {
        String user = user();
        Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        JsonNode task = create(user, "{\"title\": \"Soon\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        JsonNode notification = await(() -> first(notifications(user)), Duration.ofSeconds(30), "the notification");
        assertEquals(task.get("id").asText(), notification.get("taskId").asText());
        assertEquals(at, Instant.parse(notification.get("remindAt").asText()));
        Thread.sleep(1000);
        assertEquals(1, notifications(user).size(), "once");
    }

    @Test
    void movingTheDueTimeMovesTheReminder() throws Exception {
        String user = user();
        Instant due = Instant.now().plusSeconds(65).truncatedTo(ChronoUnit.SECONDS);
        JsonNode task = create(user, "{\"title\": \"Moves\", \"dueAt\": \"" + due + "\", "
                + "\"reminders\": [{\"before\": \"PT60S\"}]}");
        Instant movedDue = due.plusSeconds(4);
        JsonNode moved = send("PATCH", "/api/v1/tasks/" + task.get("id").asText(),
                "{\"dueAt\": \"" + movedDue + "\"}", user, 200);
        Instant movedRemindAt = Instant.parse(moved.get("reminders").get(0).get("remindAt").asText());
        assertEquals(movedDue.minusSeconds(60), movedRemindAt);
        JsonNode notification = await(() -> first(notifications(user)), Duration.ofSeconds(40), "the moved reminder");
        assertEquals(movedRemindAt, Instant.parse(notification.get("remindAt").asText()));
        Thread.sleep(1500);
        assertEquals(1, notifications(user).size(), "the old time does not fire as well");
    }

    @Test
    void deletingOrCompletingFirstYieldsNoNotification() throws Exception {
        String user = user();
        Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        String reminder = "{\"title\": \"T\", \"reminders\": [{\"at\": \"" + at + "\"}]}";
        String deleted = create(user, reminder).get("id").asText();
        String completed = create(user, reminder).get("id").asText();
        String kept = create(user, reminder).get("id").asText();
        send("DELETE", "/api/v1/tasks/" + deleted, null, user, 204);
        send("POST", "/api/v1/tasks/" + completed + "/complete", null, user, 200);
        JsonNode notification = await(() -> first(notifications(user)), Duration.ofSeconds(30), "the kept task's");
        assertEquals(kept, notification.get("taskId").asText());
        Thread.sleep(2000);
        assertEquals(1, notifications(user).size(), "none for the deleted or completed task");
    }

    @Test
    void completingADailyTaskYieldsExactlyOneNextOccurrence() throws Exception {
        String user = user();
        JsonNode task = create(user, """
                {"title": "Standup", "dueAt": "2030-03-30T09:00:00+01:00", "timeZone": "Europe/Berlin",
                 "recurrence": {"rule": "FREQ=DAILY"}, "reminders": [{"before": "PT10M"}]}""");
        String id = task.get("id").asText();
        send("POST", "/api/v1/tasks/" + id + "/complete", null, user, 200);
        send("POST", "/api/v1/tasks/" + id + "/complete", null, user, 200);
        JsonNode next = await(() -> {
            List<JsonNode> pending = items(send("GET", "/api/v1/tasks?status=pending", null, user, 200));
            return pending.isEmpty() ? null : pending.get(0);
        }, Duration.ofSeconds(30), "the next occurrence");
        assertEquals(Instant.parse("2030-03-31T07:00:00Z"), Instant.parse(next.get("dueAt").asText()), "09:00 Berlin, across the change to summer time");
        assertEquals(id, next.get("seriesId").asText());
        assertEquals("PT10M", next.get("reminders").get(0).get("before").asText());
        assertEquals("FREQ=DAILY", next.get("recurrence").get("rule").asText());
        Thread.sleep(1500);
        assertEquals(2, items(send("GET", "/api/v1/tasks", null, user, 200)).size(), "exactly one next occurrence");
    }

    @Test
    void thePreviewOfASeriesIsWhatCompletingEachOccurrenceInTurnCreatesAcrossADstChange() throws Exception {
        String user = user();
        // Berlin's clocks go forward on 2030-03-31: the preview crosses it
        String id = create(user, """
                {"title": "Water the plants", "dueAt": "2030-03-29T19:30:00+01:00", "timeZone": "Europe/Berlin",
                 "recurrence": {"rule": "FREQ=DAILY;COUNT=4"}}""").get("id").asText();
        List<String> preview = new ArrayList<>();
        items(send("GET", "/api/v1/tasks/" + id + "/occurrences?count=10", null, user, 200))
                .forEach(o -> preview.add(o.get("dueAt").asText()));
        assertEquals(3, preview.size(), "COUNT=4: the three after this one");

        List<String> created = new ArrayList<>();
        String occurrence = id;
        for (int i = 0; i < preview.size(); i++) {
            send("POST", "/api/v1/tasks/" + occurrence + "/complete", null, user, 200);
            JsonNode next = await(() -> first(items(send("GET", "/api/v1/tasks?status=pending", null, user, 200))),
                    Duration.ofSeconds(30), "occurrence " + (i + 2));
            created.add(next.get("dueAt").asText());
            occurrence = next.get("id").asText();
        }
        assertEquals(preview.stream().map(Instant::parse).toList(), created.stream().map(Instant::parse).toList());
        assertEquals(List.of(), items(send("GET", "/api/v1/tasks/" + occurrence + "/occurrences", null, user, 200)),
                "the last of the series previews none");
    }

    @Test
    void tenConcurrentSkipsOfAnOccurrenceCreateTheNextOneOnceAsThePreviewSaid() throws Exception {
        String user = user();
        String id = create(user, """
                {"title": "Gym", "dueAt": "2030-03-30T18:00:00+01:00", "timeZone": "Europe/Berlin",
                 "recurrence": {"rule": "FREQ=DAILY"}, "reminders": [{"before": "PT1H"}]}""").get("id").asText();
        String previewed = first(items(send("GET", "/api/v1/tasks/" + id + "/occurrences?count=1", null, user, 200)))
                .get("dueAt").asText();
        List<Integer> versions = concurrently(10,
                () -> send("POST", "/api/v1/tasks/" + id + "/skip", null, user, 200).get("version").asInt());
        assertEquals(java.util.Collections.nCopies(10, 2), versions, "one skip, however many asked");
        JsonNode next = await(() -> first(items(send("GET", "/api/v1/tasks?status=pending", null, user, 200))),
                Duration.ofSeconds(30), "the next occurrence");
        assertEquals(Instant.parse(previewed), Instant.parse(next.get("dueAt").asText()));
        assertEquals(Instant.parse("2030-03-31T16:00:00Z"), Instant.parse(previewed), "18:00 Berlin, summer time");
        assertEquals(id, next.get("seriesId").asText());
        assertEquals("PT1H", next.get("reminders").get(0).get("before").asText());
        Thread.sleep(1500);
        List<JsonNode> series = items(send("GET", "/api/v1/tasks", null, user, 200));
        assertEquals(2, series.size(), "exactly one next occurrence: " + series);
        assertEquals("skipped", series.stream().filter(t -> t.get("id").asText().equals(id)).findFirst()
                .orElseThrow().get("status").asText());
    }

    @Test
    void aSeriesEndedByTenConcurrentRemovalsOfItsRuleHasNoNextOccurrence() throws Exception {
        String user = user();
        String id = create(user, """
                {"title": "Last lesson", "dueAt": "2030-03-30T18:00:00+01:00", "timeZone": "Europe/Berlin",
                 "recurrence": {"rule": "FREQ=WEEKLY"}}""").get("id").asText();
        List<Integer> versions = concurrently(10, () -> send("PATCH", "/api/v1/tasks/" + id,
                "{\"recurrence\": null}", user, 200).get("version").asInt());
        assertEquals(java.util.Collections.nCopies(10, 2), versions, "one end, however many asked");
        JsonNode completed = send("POST", "/api/v1/tasks/" + id + "/complete", null, user, 200);
        assertEquals(3, completed.get("version").asInt(), "created, ended once, completed");
        StateStore state = system.bean(StateStore.class);
        await(() -> state.get("task-" + id).map(e -> json(e.value()))
                        .filter(w -> w.get("version").asInt() == 3 && w.get("applied").asBoolean()).orElse(null),
                Duration.ofSeconds(30), "task-completed to have handled the completion");
        Thread.sleep(1500);
        assertEquals(1, items(send("GET", "/api/v1/tasks", null, user, 200)).size(), "the series ended with it");
    }

    @Test
    void aPoisonEventIsDeadLetteredWithItsReasonAndDoesNotBlockTheEventsBehindIt() throws Exception {
        String key = UUID.randomUUID().toString();
        EventPublisher broker = system.bean(EventPublisher.class);
        byte[] poison = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, "poison-" + key,
                "/task-api", key, Instant.now(), "{\"title\": \"\"}".getBytes(StandardCharsets.UTF_8)));
        broker.publish(new EventPublisher.OutgoingEvent("poison-" + key, EventType.TASK_CREATED.type(), "task-events",
                key, poison));
        String user = user();
        // a real task's event behind it, on the same partition key
        JsonNode snapshot = create(user, "{\"title\": \"behind\"}");
        byte[] behind = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, "behind-" + key,
                "/task-api", key, Instant.now(), EventJson.bytes(EventJson.MAPPER.treeToValue(
                        ((com.fasterxml.jackson.databind.node.ObjectNode) snapshot).put("id", key).put("userId", user),
                        com.todo.events.TaskSnapshot.class))));
        broker.publish(new EventPublisher.OutgoingEvent("behind-" + key, EventType.TASK_CREATED.type(), "task-events",
                key, behind));

        StateStore state = system.bean(StateStore.class);
        await(() -> state.get("task-" + key).orElse(null), Duration.ofSeconds(30), "the event behind the poison handled");

        // as daprd: to task-events-dlq, and from there through the gateway to the dead-letter inbox, with the reason
        String letter = "/admin/dead-letters/poison-" + key;
        JsonNode kept = await(() -> admin("GET", letter, null), Duration.ofSeconds(30), "the dead letter in the inbox");
        assertEquals("task-events", kept.get("topic").asText());
        assertEquals(1, kept.get("deliveries").asInt());
        assertTrue(kept.get("reason").asText().contains("data is invalid"), kept.toString());
        assertEquals(List.of(), deadLetters("poison-" + key), "not in the record of letters without a topic");

        // replayed, it is delivered again, dropped again, and comes back to the same entry
        assertEquals(1, admin("POST", letter + "/replay", 200).get("replays").asInt());
        await(() -> admin("GET", letter, 200).get("deliveries").asInt() == 2 ? true : null, Duration.ofSeconds(30),
                "the replayed poison dead-lettered again");
        assertEquals(1, items(admin("GET", "/admin/dead-letters?type=com.todo.task.created&since="
                + kept.get("firstSeen").asText(), 200)).stream()
                .filter(item -> item.get("id").asText().equals("poison-" + key)).count(), "one entry per event id");
        assertEquals(403, status("GET", letter, TestTokens.sign(user, SECRET)), "a user's token is not an admin's");
    }

    @Test
    void anUnreadableStoredMessageIsDeadLetteredOnceAndTheOtherEventsStillFlowQuietly() throws Exception {
        String key = UUID.randomUUID().toString();
        ch.qos.logback.classic.Logger brokerLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LocalBroker.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        brokerLog.addAppender(lines);
        try {
            execute("INSERT INTO local_messages (event_id, topic, partition_key, type, event) VALUES (?, 'task-events', ?, "
                    + "'com.todo.task.created', '{\"specversion\": \"1.0\", broken')", "unreadable-" + key, key);
            String user = user();
            JsonNode task = create(user, "{\"title\": \"flows past it\"}");
            StateStore state = system.bean(StateStore.class);
            await(() -> state.get("task-" + task.get("id").asText()).orElse(null), Duration.ofSeconds(30),
                    "another task's event handled");
            List<String> reasons = deadLetters("unreadable-" + key);
            assertEquals(1, reasons.size(), "dead-lettered once");
            assertTrue(reasons.get(0).contains("not a JSON object"), reasons.get(0));
            Thread.sleep(1000);
            assertTrue(lines.list.size() <= 3, "the broker's log stays quiet: " + lines.list);
        } finally {
            brokerLog.detachAppender(lines);
        }
    }

    @Test
    void anEventLogsOneLineTheFunctionsNotAlsoTheGatewaysForward() throws Exception {
        ch.qos.logback.classic.Logger forwards = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(com.todo.gateway.ForwardController.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        forwards.addAppender(lines);
        try {
            JsonNode task = create(user(), "{\"title\": \"logged once\"}");
            StateStore state = system.bean(StateStore.class);
            await(() -> state.get("task-" + task.get("id").asText()).orElse(null), Duration.ofSeconds(30),
                    "the task's event handled");
            assertEquals(List.of(), lines.list.stream().filter(e -> e.getFormattedMessage().contains(task.get("id")
                    .asText()) || e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO)).toList());
        } finally {
            forwards.detachAppender(lines);
        }
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private void execute(String sql, String... parameters) {
        io.micronaut.transaction.TransactionOperations<java.sql.Connection> tx =
                system.bean(io.micronaut.transaction.TransactionOperations.class);
        tx.executeWrite(status -> {
            try (var ps = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setString(i + 1, parameters[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private List<String> deadLetters(String eventId) {
        io.micronaut.transaction.TransactionOperations<java.sql.Connection> tx =
                system.bean(io.micronaut.transaction.TransactionOperations.class);
        return tx.executeRead(status -> {
            List<String> reasons = new ArrayList<>();
            try (var ps = status.getConnection().prepareStatement(
                    "SELECT reason FROM local_dead_letters WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reasons.add(rs.getString(1));
                    }
                }
            }
            return reasons;
        });
    }

    /** The admin API with an operator's token; {@code expected} null answers null for a 404. */
    private JsonNode admin(String method, String path, Integer expected) {
        String token = TestTokens.sign("operator", SECRET, "todo-admin");
        if (expected == null) {
            return status(method, path, token) == 404 ? null : admin(method, path, 200);
        }
        return sendWithToken(method, path, null, token, expected);
    }

    private int status(String method, String path, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + system.port() + path))
                    .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String user() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode create(String user, String body) throws Exception {
        return send("POST", "/api/v1/tasks", body, user, 201);
    }

    private List<JsonNode> notifications(String user) {
        return items(send("GET", "/api/v1/notifications", null, user, 200));
    }

    /** n calls at once; a failed call fails the test. */
    private static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<T> results = new ArrayList<>();
            for (var result : pool.invokeAll(java.util.Collections.nCopies(n, call))) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return EventJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode first(List<JsonNode> items) {
        return items.isEmpty() ? null : items.get(0);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    private JsonNode send(String method, String path, String body, String user, int expected) {
        return sendWithToken(method, path, body, TestTokens.sign(user, SECRET), expected);
    }

    private JsonNode sendWithToken(String method, String path, String body, String token, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + system.port() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, response.statusCode(), response.body());
            return response.body().isEmpty() ? null : EventJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    private static <T> T await(Supplier<T> probe, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
