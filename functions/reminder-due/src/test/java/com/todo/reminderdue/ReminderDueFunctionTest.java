package com.todo.reminderdue;

import com.todo.fake.FakeDaprSidecar;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.ReminderDue;
import com.todo.events.ReminderWindow;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.Deliveries;
import com.todo.function.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.todo.domain.Migrate;
import com.todo.domain.NotificationRepository;
import com.todo.domain.NotificationSettingsService;
import com.todo.domain.QuietHours;
import com.todo.domain.NotificationRow;
import com.todo.domain.OutboxRepository;
import com.todo.domain.TaskDraft;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** reminder-due as deployed: real HTTP, embedded PostgreSQL, the fake sidecar for the relay and the binding. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReminderDueFunctionTest {

    private static final String APP_TOKEN = "reminder-due-token";

    private final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    private String databaseUrl;
    private EmbeddedServer server;
    private EmbeddedServer withBinding;

    @BeforeAll
    void start() {
        databaseUrl = EmbeddedDatabase.shared().newDatabase();
        Migrate.run(databaseUrl, EmbeddedDatabase.USER, "");
        server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of()));
        withBinding = ApplicationContext.run(EmbeddedServer.class, properties(Map.of("todo.notifications.binding",
                "webhook", "todo.notifications.operation", "post", "todo.email.binding", "email",
                "todo.webhooks.allow-private-addresses", true)));
    }

    private Map<String, Object> properties(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "datasources.default.url", databaseUrl,
                "datasources.default.username", EmbeddedDatabase.USER,
                "datasources.default.connection-timeout", 2000,
                "todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort(),
                "todo.dapr.timeout", "2s",
                "todo.app-api-token", APP_TOKEN));
        p.putAll(extra);
        return p;
    }

    @AfterAll
    void stop() {
        withBinding.getApplicationContext().close();
        server.getApplicationContext().close();
        sidecar.close();
    }

    @Test
    void everyShapeNotifiesOnceAndARedeliveryIsADuplicate() {
        for (int shape = 0; shape < 3; shape++) {
            TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
            Deliveries.Delivery delivery = Deliveries.of(event(task)).get(shape);
            assertEquals("SUCCESS", outcome(server, delivery), delivery.shape());
            assertEquals("SUCCESS", outcome(server, delivery), delivery.shape() + " again");
            assertNotifiedOnce(task);
        }
    }

    @Test
    void theWrongTypeAndInvalidDataAreDropped() {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        byte[] wrongType = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, "e-" + UUID.randomUUID(),
                "/task-api", task.id().toString(), Instant.now(), EventJson.bytes(task)));
        assertEquals("DROP", outcome(server, Deliveries.daprEnvelope(wrongType)));
        byte[] invalid = StructuredEvents.serialize(StructuredEvents.build(EventType.REMINDER_DUE, "e-" + UUID.randomUUID(),
                "/task-created", task.id().toString(), Instant.now(),
                ("{\"reminderId\": \"" + task.reminders().get(0).id() + "\"}").getBytes(StandardCharsets.UTF_8)));
        for (Deliveries.Delivery delivery : Deliveries.of(invalid)) {
            assertEquals("DROP", outcome(server, delivery), delivery.shape());
        }
        assertEquals(0, notificationsFor(task).size());
    }

    @Test
    void aColdStartDoesNotWaitForTheDatabaseAndItsEventsAreRetryUntilItIsUp() {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(task));
        EmbeddedDatabase.shared().setAvailable(databaseUrl, false);
        // the deployed configuration (application-reminder-due.yml), not only the test's properties
        try (ApplicationContext context = ApplicationContext.run(properties(Map.of()), "reminder-due")) {
            EmbeddedServer coldStarted = context.getBean(EmbeddedServer.class).start();
            try {
                assertEquals("RETRY", outcome(coldStarted, delivery));
            } finally {
                EmbeddedDatabase.shared().setAvailable(databaseUrl, true);
            }
            assertEquals("SUCCESS", settle(coldStarted, delivery));
        }
        assertNotifiedOnce(task);
    }

    @Test
    void theDatabaseDownIsRetryAndTheSameEventSucceedsAfterRecovery() throws Exception {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(task));
        EmbeddedDatabase.shared().setAvailable(databaseUrl, false);
        try {
            HttpResponse<String> down = Deliveries.post(server.getPort(), "/reminder-due", delivery, APP_TOKEN);
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("RETRY", Deliveries.outcome(down));
        } finally {
            EmbeddedDatabase.shared().setAvailable(databaseUrl, true);
        }
        assertEquals("SUCCESS", settle(server, delivery));
        assertNotifiedOnce(task);
    }

    @Test
    void aFailingChannelNeverHoldsBackTheInAppNotificationAndIsRetriedWithTheEvent() throws Exception {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(task));
        sidecar.stop();
        try {
            assertEquals("RETRY", outcome(withBinding, delivery));
            assertNotifiedOnce(task);
        } finally {
            sidecar.start();
        }
        assertEquals("SUCCESS", settle(withBinding, delivery));
        assertNotifiedOnce(task);
        List<FakeDaprSidecar.Binding> calls = bindingsFor(task);
        assertEquals(1, calls.size(), "delivered once, by the redelivery: " + calls);
        assertEquals("webhook", calls.get(0).name());
        assertEquals("post", calls.get(0).operation());
        assertEquals(task.title(), calls.get(0).metadata().get("subject"));
        String sent = outbox().findByAggregateIdOrderBySeq(task.id().toString()).stream()
                .filter(r -> r.type().equals("com.todo.notification.sent")).findFirst().orElseThrow().payload();
        assertTrue(sent.contains("\"channels\":[\"in-app\",\"binding:webhook\"]"), sent);
        assertEquals("SUCCESS", outcome(withBinding, delivery), "a later duplicate");
        assertEquals(1, bindingsFor(task).size(), "sends nothing again");
    }

    @Test
    void eachUserGetsTheirOwnRemindersAtTheirVerifiedAddressOnlyAndAnUnverifiedAddressNothing() {
        TaskSnapshot ann = taskWithReminder("Ann's <dentist> & co", Instant.now().plusSeconds(3600));
        TaskSnapshot bob = taskWithReminder("Bob's tax return", Instant.now().plusSeconds(3600));
        TaskSnapshot cid = taskWithReminder("Cid's plants", Instant.now().plusSeconds(3600));
        verifiedEmail(ann.userId(), "ann@example.org");
        verifiedEmail(bob.userId(), "bob@example.org");
        settingsService().replace(cid.userId(), "cid@example.org", null, null, (to, code) -> { });
        for (TaskSnapshot task : List.of(ann, bob, cid, ann, bob, cid)) {
            assertEquals("SUCCESS", settle(withBinding, Deliveries.daprEnvelope(event(task))));
        }
        assertEquals(List.of("ann@example.org"), emailsFor(ann));
        assertEquals(List.of("bob@example.org"), emailsFor(bob));
        assertEquals(List.of(), emailsFor(cid), "unverified: no email");
        FakeDaprSidecar.Binding mail = bindingsFor(ann).stream().filter(b -> b.name().equals("email")).findFirst()
                .orElseThrow();
        assertEquals("create", mail.operation());
        assertEquals("Reminder: " + ann.title(), mail.metadata().get("subject"));
        assertTrue(new String(mail.data(), StandardCharsets.UTF_8).contains("Ann&#39;s &lt;dentist&gt; &amp; co"),
                "the title is escaped in the HTML body");
    }

    @Test
    void quietHoursHoldTheEmailBackAndTheSweepSendsItWhenTheyEnd() throws Exception {
        TaskSnapshot task = taskWithReminder("Quiet please", Instant.now().plusSeconds(3600));
        verifiedEmail(task.userId(), "quiet@example.org");
        java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
        settingsService().replace(task.userId(), "quiet@example.org", null,
                new QuietHours(now.minusHours(1), now.plusHours(1), "UTC"), (to, code) -> { });
        assertEquals("SUCCESS", settle(withBinding, Deliveries.daprEnvelope(event(task))));
        assertNotifiedOnce(task);
        assertEquals(List.of(), emailsFor(task), "not during quiet hours");
        try (var c = java.sql.DriverManager.getConnection(databaseUrl, EmbeddedDatabase.USER, "");
             var ps = c.prepareStatement("UPDATE notification_deliveries SET not_before = now() - interval '1 second' "
                     + "WHERE address = 'quiet@example.org'")) {
            assertEquals(1, ps.executeUpdate(), "one email waits for the quiet hours' end");
        }
        HttpResponse<String> sweep = Deliveries.post(withBinding.getPort(), "/reminders/sweep",
                new Deliveries.Delivery("empty", Map.of(), new byte[0]), APP_TOKEN);
        assertEquals(200, sweep.statusCode(), sweep.body());
        assertEquals(List.of("quiet@example.org"), emailsFor(task), "sent once they ended");
    }

    @Test
    void aUsersWebhookGetsTheReminderSignedAndAFailingOneIsRetriedWithTheEvent() throws Exception {
        TaskSnapshot task = taskWithReminder("Gil's flight", Instant.now().plusSeconds(3600));
        List<String[]> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] status = {500};
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.add(new String[]{new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(Webhooks.SIGNATURE),
                    exchange.getRequestHeaders().getFirst(Webhooks.ID), String.valueOf(status[0])});
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = "gil-secret";
            settingsService().replace(task.userId(), null, new NotificationSettingsService.Webhook(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", secret, Instant.now()), null,
                    (to, code) -> { });
            Deliveries.Delivery delivery = Deliveries.daprEnvelope(event(task));
            assertEquals("RETRY", outcome(withBinding, delivery), "the webhook answered 500");
            assertNotifiedOnce(task);
            status[0] = 204;
            assertEquals("SUCCESS", settle(withBinding, delivery));
            assertEquals("SUCCESS", outcome(withBinding, delivery), "a later duplicate");
            List<String[]> accepted = calls.stream().filter(c -> c[3].equals("204")).toList();
            assertEquals(1, accepted.size(), "delivered once");
            String[] call = accepted.get(0);
            JsonNode body = EventJson.MAPPER.readTree(call[0]);
            assertEquals("reminder", body.get("type").asText());
            assertEquals(task.id().toString(), body.get("taskId").asText());
            assertEquals("Gil's flight", body.get("title").asText());
            assertEquals(EventIds.notification(task.reminders().get(0).id(), task.reminders().get(0).remindAt())
                    .toString(), call[2], "Todo-Webhook-Id names the notification, the same on every try");
            long t = Long.parseLong(call[1].replaceAll("t=(\\d+),.*", "$1"));
            assertEquals(Webhooks.signature(secret, t, call[0].getBytes(StandardCharsets.UTF_8)), call[1]);
            assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 60, "a current timestamp");
        } finally {
            receiver.stop(0);
        }
    }

    private NotificationSettingsService settingsService() {
        return server.getApplicationContext().getBean(NotificationSettingsService.class);
    }

    private void verifiedEmail(String userId, String address) {
        String[] sent = new String[1];
        settingsService().replace(userId, address, null, null, (to, code) -> sent[0] = code);
        assertEquals(NotificationSettingsService.Verification.VERIFIED,
                settingsService().verify(userId, sent[0]).outcome());
    }

    private List<FakeDaprSidecar.Binding> bindingsFor(TaskSnapshot task) {
        return sidecar.bindings().stream().filter(b -> new String(b.data(), StandardCharsets.UTF_8)
                .contains(b.name().equals("email") ? ChannelDeliveries.escape(task.title()) : task.id().toString()))
                .toList();
    }

    /** The addresses the reminder of this task (its title is its own) was emailed to, in order. */
    private List<String> emailsFor(TaskSnapshot task) {
        return bindingsFor(task).stream().filter(b -> b.name().equals("email")).map(b -> b.metadata().get("emailTo"))
                .toList();
    }


    @Test
    void twentyDeliveriesTenAtOnceMakeOneNotificationAndOneEvent() throws Exception {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        byte[] event = event(task);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Deliveries.Delivery delivery = Deliveries.of(event).get(i % 3);
                outcomes.add(pool.submit(() -> settle(server, delivery)));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals("SUCCESS", outcome.get());
            }
        } finally {
            pool.shutdown();
        }
        assertNotifiedOnce(task);
    }

    @Test
    void noNotificationForADeletedOrCompletedTaskOrAMovedReminder() {
        TaskService tasks = server.getApplicationContext().getBean(TaskService.class);
        TaskSnapshot deleted = taskWithReminder(Instant.now().plusSeconds(3600));
        tasks.delete(deleted.userId(), deleted.id());
        TaskSnapshot completed = taskWithReminder(Instant.now().plusSeconds(3600));
        tasks.complete(completed.userId(), completed.id());
        TaskSnapshot moved = taskWithReminder(Instant.now().plusSeconds(3600));
        tasks.update(moved.userId(), moved.id(), t -> new TaskDraft(t.title(), null, t.status(), t.priority(), t.tags(),
                t.dueAt(), t.timeZone(), List.of(new TaskDraft.ReminderDraft(t.reminders().get(0).id(), null,
                Instant.now().plusSeconds(7200).truncatedTo(ChronoUnit.MILLIS))), null));
        for (TaskSnapshot task : List.of(deleted, completed, moved)) {
            assertEquals("SUCCESS", outcome(server, Deliveries.daprEnvelope(event(task))));
            assertEquals(0, notificationsFor(task).size());
        }
    }

    @Test
    void noNotificationForASkippedOccurrenceNeitherByItsJobNorByTheSweep() throws Exception {
        TaskService tasks = server.getApplicationContext().getBean(TaskService.class);
        TaskSnapshot task = taskWithReminder(Instant.now().plusMillis(800));
        tasks.update(task.userId(), task.id(), t -> new TaskDraft(t.title(), null, "skipped", t.priority(), t.tags(),
                t.dueAt(), t.timeZone(), TaskService.draftOf(t).reminders(), "FREQ=DAILY"));
        Thread.sleep(1200);
        sweep();
        assertEquals("SUCCESS", outcome(server, Deliveries.daprEnvelope(event(task))));
        assertEquals(0, notificationsFor(task).size());
    }

    @Test
    void theSweepNotifiesDueRemindersWhoseJobNeverFiredOnce() throws Exception {
        TaskSnapshot task = taskWithReminder(Instant.now().plusMillis(800));
        Thread.sleep(1200);
        int first = sweep();
        assertTrue(first >= 1, "notified " + first);
        assertEquals(0, sweep());
        assertNotifiedOnce(task);
        assertEquals("SUCCESS", outcome(server, Deliveries.daprEnvelope(event(task))), "the late job is a duplicate");
        assertNotifiedOnce(task);
    }

    @Test
    void theSweepNotifiesAReminderThatPassedWhileItsWriteWaitedButNotOneOlderThanTheWindow() {
        // the write commits after the reminder's time, as when the database was restarting while the API held it
        TaskSnapshot late = taskWithReminder(Instant.now().minusSeconds(30));
        TaskSnapshot history = taskWithReminder(Instant.now().minus(ReminderWindow.LATE).minusSeconds(30));
        sweep();
        assertNotifiedOnce(late);
        assertEquals(0, notificationsFor(history).size(), "older than the window at its write: history");
    }

    @Test
    void withAnAppTokenAnEventWithoutItIs401AndChangesNothing() {
        TaskSnapshot task = taskWithReminder(Instant.now().plusSeconds(3600));
        assertEquals(401, Deliveries.post(server.getPort(), "/reminder-due", Deliveries.daprEnvelope(event(task)), null)
                .statusCode());
        assertEquals(401, Deliveries.post(server.getPort(), "/reminders/sweep", Deliveries.daprEnvelope(new byte[]{'{', '}'}), null)
                .statusCode());
        assertEquals(0, notificationsFor(task).size());
    }

    // ---- helpers ----

    private TaskSnapshot taskWithReminder(Instant remindAt) {
        return taskWithReminder("Call the plumber", remindAt);
    }

    private TaskSnapshot taskWithReminder(String title, Instant remindAt) {
        return server.getApplicationContext().getBean(TaskService.class).create("user-" + UUID.randomUUID(),
                new TaskDraft(title, null, "pending", "medium", List.of(), remindAt.plusSeconds(60), "UTC",
                        List.of(new TaskDraft.ReminderDraft(null, null, remindAt.truncatedTo(ChronoUnit.MILLIS))), null));
    }

    private static byte[] event(TaskSnapshot task) {
        TaskSnapshot.Reminder r = task.reminders().get(0);
        ReminderDue data = new ReminderDue(r.id(), task.id(), task.userId(), r.remindAt(), task.dueAt(), task.title(),
                task.version());
        return StructuredEvents.serialize(StructuredEvents.build(EventType.REMINDER_DUE,
                EventIds.reminderDue(r.id(), r.remindAt()).toString(), "/task-created", task.id().toString(),
                Instant.now(), EventJson.bytes(data)));
    }

    private void assertNotifiedOnce(TaskSnapshot task) {
        List<NotificationRow> rows = notificationsFor(task);
        assertEquals(1, rows.size(), rows::toString);
        assertEquals(task.reminders().get(0).remindAt(), rows.get(0).remindAt());
        assertEquals(1, outbox().findByAggregateIdOrderBySeq(task.id().toString()).stream()
                .filter(r -> r.type().equals("com.todo.notification.sent")).count());
    }

    private List<NotificationRow> notificationsFor(TaskSnapshot task) {
        return server.getApplicationContext().getBean(NotificationRepository.class).list(task.userId(), false, 100);
    }

    private OutboxRepository outbox() {
        return server.getApplicationContext().getBean(OutboxRepository.class);
    }

    private int sweep() {
        HttpResponse<String> answer = Deliveries.post(server.getPort(), "/reminders/sweep",
                new Deliveries.Delivery("empty", Map.of(), new byte[0]), APP_TOKEN);
        assertEquals(200, answer.statusCode(), answer.body());
        try {
            return EventJson.MAPPER.readTree(answer.body()).get("notified").asInt();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String outcome(EmbeddedServer target, Deliveries.Delivery delivery) {
        return Deliveries.outcome(Deliveries.post(target.getPort(), "/reminder-due", delivery, APP_TOKEN));
    }

    private static String settle(EmbeddedServer target, Deliveries.Delivery delivery) {
        return Deliveries.settle(target.getPort(), "/reminder-due", delivery, APP_TOKEN);
    }
}
