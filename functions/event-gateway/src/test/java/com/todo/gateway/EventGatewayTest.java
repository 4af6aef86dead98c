package com.todo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.fake.FakeDaprSidecar;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.function.JobScheduler;
import com.todo.function.SchedulesClient;
import io.dapr.v1.DaprJobsProtos;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as deployed, over real HTTP: a target Micronaut application stands in for the functions, the fake
 * sidecar for daprd (jobs and publishing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventGatewayTest {

    private static final String APP_TOKEN = "gateway-app-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> TARGETS = List.of("ok-success", "ok-drop", "ok-drop-why", "ok-retry", "ok-accepted", "ok-empty",
            "unauthorized", "missing", "busy", "broken", "unavailable", "slow", "task-created");

    private final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    private EmbeddedServer target;
    private EmbeddedServer gateway;

    @BeforeAll
    void start() throws IOException {
        FakeDaprSidecar none = new FakeDaprSidecar(); // never started: the target makes no sidecar call
        target = ApplicationContext.run(EmbeddedServer.class, Map.of("test.target", "true", "micronaut.server.port", -1,
                "todo.gateway.register-maintenance", "false", "todo.dapr.grpc-port", none.port(),
                "todo.dapr.http-port", none.httpPort()));
        gateway = ApplicationContext.run(EmbeddedServer.class, gatewayProperties());
    }

    private Map<String, Object> gatewayProperties() throws IOException {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("todo.dapr.grpc-port", sidecar.port());
        properties.put("todo.dapr.http-port", sidecar.httpPort());
        properties.put("todo.app-api-token", APP_TOKEN);
        properties.put("todo.gateway.forward-timeout", "1s");
        String base = "http://localhost:" + target.getPort();
        for (String name : TARGETS) {
            properties.put("todo.gateway.functions." + name + ".url", base);
        }
        try (ServerSocket closed = new ServerSocket(0)) {
            properties.put("todo.gateway.functions.down.url", "http://localhost:" + closed.getLocalPort());
        }
        for (String name : List.of("task-api", "reminder-due", "recurring-scheduled")) {
            properties.put("todo.gateway.functions." + name + ".url", base + "/fn/" + name);
        }
        return properties;
    }

    @AfterAll
    void stop() {
        gateway.getApplicationContext().close();
        target.getApplicationContext().close();
        sidecar.close();
    }

    // ---- forwarding (D3) ----

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "ok-success,  200, SUCCESS",
            "ok-drop,     200, DROP",
            "ok-retry,    200, RETRY",
            "ok-accepted, 202, SUCCESS",
            "ok-empty,    204, ",
            "unauthorized, 503, RETRY",
            "missing,     503, RETRY",
            "busy,        503, RETRY",
            "broken,      503, RETRY",
            "unavailable, 503, RETRY",
            "slow,        503, RETRY",
            "down,        503, RETRY"})
    void answersMapToDaprsContract(String function, int status, String outcome) throws Exception {
        HttpResponse<String> answer = post("/forward/" + function, binaryEvent(), APP_TOKEN, binaryHeaders());
        assertEquals(status, answer.statusCode(), answer.body());
        if (outcome != null) {
            assertEquals(outcome, JSON.readTree(answer.body()).get("status").asText());
        }
    }

    @Test
    void forwardsBodyCloudEventAndTraceHeadersAndTheAppToken() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] structured = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, id, "/task-api",
                "task-9", Instant.parse("2026-01-01T00:00:00Z"), "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> answer = post("/forward/task-created", structured, APP_TOKEN, Map.of(
                "Content-Type", "application/cloudevents+json",
                "traceparent", "00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01",
                "tracestate", "vendor=1",
                "pubsubname", "taskpubsub"));
        assertEquals(200, answer.statusCode());
        assertEquals("SUCCESS", JSON.readTree(answer.body()).get("status").asText());
        TargetFunction.Received seen = TargetFunction.received("/task-created").stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(id)).findFirst().orElseThrow();
        assertArrayEquals(structured, seen.body());
        assertEquals("application/cloudevents+json", seen.headers().get("content-type"));
        assertEquals("00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01", seen.headers().get("traceparent"));
        assertEquals("vendor=1", seen.headers().get("tracestate"));
        assertEquals(APP_TOKEN, seen.headers().get("dapr-api-token"));

        post("/forward/ok-success", binaryEvent(), APP_TOKEN, binaryHeaders());
        TargetFunction.Received binary = TargetFunction.received("/ok-success").get(0);
        assertEquals("1.0", binary.headers().get("ce-specversion"));
        assertEquals("com.todo.task.created", binary.headers().get("ce-type"));
    }

    @Test
    void anUnknownFunctionIsDroppedAndTheAppTokenIsRequired() throws Exception {
        HttpResponse<String> unknown = post("/forward/no-such-function", binaryEvent(), APP_TOKEN, binaryHeaders());
        assertEquals(200, unknown.statusCode());
        assertEquals("DROP", JSON.readTree(unknown.body()).get("status").asText());
        assertEquals(401, post("/forward/ok-success", binaryEvent(), null, binaryHeaders()).statusCode());
        assertEquals(401, post("/forward/ok-success", binaryEvent(), "wrong", binaryHeaders()).statusCode());
    }

    /**
     * A function's DROP reason is remembered by event id and goes, URL-encoded, with the dead letter that daprd sends
     * back from the dead-letter topic to the inbox (task-api's {@code /dead-letters}); so does the gateway's own.
     */
    @Test
    void aDropReasonTravelsWithItsDeadLetterToTheInbox() throws Exception {
        String dropped = UUID.randomUUID().toString();
        String unrouted = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");
        HttpResponse<String> drop = post("/forward/ok-drop-why", event(dropped, "task-events"), APP_TOKEN, structured);
        assertEquals("DROP", JSON.readTree(drop.body()).get("status").asText());
        post("/forward/unrouted", event(unrouted, "task-events"), APP_TOKEN, structured);

        for (String id : List.of(dropped, unrouted, other)) {
            HttpResponse<String> stored = post("/forward/dead-letters", event(id, "task-events-dlq"), APP_TOKEN,
                    structured);
            assertEquals("SUCCESS", JSON.readTree(stored.body()).get("status").asText());
        }
        Map<String, String> reasons = new HashMap<>();
        for (TargetFunction.Received letter : TargetFunction.received("/fn/task-api/dead-letters")) {
            String id = JSON.readTree(letter.body()).get("id").asText();
            String reason = letter.headers().get("todo-drop-reason");
            reasons.put(id, reason == null ? null : java.net.URLDecoder.decode(reason, StandardCharsets.UTF_8));
            assertEquals(APP_TOKEN, letter.headers().get("dapr-api-token"));
        }
        assertEquals(TargetFunction.DROP_REASON, reasons.get(dropped));
        assertEquals("no function 'unrouted' to forward to", reasons.get(unrouted));
        assertTrue(reasons.containsKey(other) && reasons.get(other) == null, "no reason known, none sent: " + reasons);
    }

    private static byte[] event(String id, String topic) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"com.todo.task.created\","
                + "\"source\":\"/task-api\",\"data\":{\"id\":\"not-the-event-id\"},\"topic\":\"" + topic + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- metrics (docs/operations.md) ----

    @Test
    void theOperatorsMetricsAreOnPrometheusBehindTheAppToken() throws Exception {
        Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");
        post("/forward/ok-drop-why", event(UUID.randomUUID().toString(), "task-events"), APP_TOKEN, structured);
        post("/forward/unavailable", binaryEvent(), APP_TOKEN, binaryHeaders());
        post("/forward/ok-empty", binaryEvent(), APP_TOKEN, binaryHeaders());
        post("/forward/dead-letters", event(UUID.randomUUID().toString(), "reminder-events-dlq"), APP_TOKEN, structured);
        for (int i = 0; i < 2; i++) { // refused by the inbox and redelivered: not a dead letter kept
            post("/forward/dead-letters", event("inbox-down-1", "recurring-events-dlq"), APP_TOKEN, structured);
        }
        post("/job/maintenance.outbox-flush.task-api", new byte[0], APP_TOKEN, Map.of());
        String id = UUID.randomUUID().toString();
        byte[] late = scheduleBody(Instant.now().minusSeconds(90), reminderEvent(id));
        assertEquals(200, post("/job/reminder-late-" + id, late, APP_TOKEN, Map.of()).statusCode());

        assertEquals(401, HTTP.send(request("/prometheus", null).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "metrics need the app token");
        String scraped = HTTP.send(request("/prometheus", APP_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metric(scraped, "todo_events_total{function=\"ok-drop-why\",outcome=\"DROP\"}") >= 1, scraped);
        assertTrue(metric(scraped, "todo_events_total{function=\"unavailable\",outcome=\"RETRY\"}") >= 1, scraped);
        assertTrue(metric(scraped, "todo_events_total{function=\"ok-empty\",outcome=\"SUCCESS\"}") >= 1, scraped);
        assertTrue(metric(scraped, "todo_dead_letters_total{topic=\"reminder-events\"}") >= 1, scraped);
        assertEquals(-1, metric(scraped, "todo_dead_letters_total{topic=\"recurring-events\"}"), scraped);
        assertTrue(metric(scraped, "todo_events_total{function=\"dead-letters\",outcome=\"RETRY\"}") >= 2, scraped);
        assertEquals(3, metric(scraped, "todo_outbox_backlog"), scraped);
        assertEquals(42, metric(scraped, "todo_outbox_backlog_oldest_seconds"), scraped);
        assertTrue(metric(scraped, "todo_schedule_lateness_seconds_max{type=\"com.todo.reminder.due\"}") >= 90, scraped);
    }

    /** The value of one sample (name with its labels, as Prometheus writes them), or -1 when absent. */
    private static double metric(String scraped, String sample) {
        return scraped.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(sample.length() + 1).strip())).findFirst().orElse(-1);
    }

    // ---- schedules and jobs (D3, D6) ----

    @Test
    void aScheduleIsAJobWithDueTimeOverwriteFailurePolicyAndTheRequestAsData() throws Exception {
        Instant due = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String event = reminderEvent(UUID.randomUUID().toString());
        byte[] request = scheduleBody(due, event);
        assertEquals(204, put("/schedules/reminder-a", request).statusCode());

        DaprJobsProtos.ScheduleJobRequest job = sidecar.jobs().get("reminder-a");
        assertTrue(job.getOverwrite());
        assertEquals(due, Instant.parse(job.getJob().getDueTime()));
        assertEquals(10, job.getJob().getFailurePolicy().getConstant().getInterval().getSeconds());
        assertTrue(job.getJob().getFailurePolicy().getConstant().getMaxRetries() >= 100);
        assertArrayEquals(request, job.getJob().getData().getValue().toByteArray());

        // moved: the same name is replaced, not duplicated
        assertEquals(204, put("/schedules/reminder-a", scheduleBody(due.plusSeconds(60), event)).statusCode());
        assertEquals(due.plusSeconds(60), Instant.parse(sidecar.jobs().get("reminder-a").getJob().getDueTime()));
    }

    @Test
    void aFiredJobPublishesTheEventWithItsIdAndTopicAndAReplayPublishesTheSameId() throws Exception {
        String id = UUID.randomUUID().toString();
        String event = reminderEvent(id);
        assertEquals(204, put("/schedules/reminder-b", scheduleBody(Instant.now().plusSeconds(3600), event)).statusCode());
        byte[] data = sidecar.jobs().get("reminder-b").getJob().getData().getValue().toByteArray();

        assertEquals(200, post("/job/reminder-b", data, APP_TOKEN, Map.of()).statusCode());
        assertEquals(200, post("/job/reminder-b", data, APP_TOKEN, Map.of()).statusCode(), "at-least-once replay");

        List<FakeDaprSidecar.Published> published = publishedWithId(id);
        assertEquals(2, published.size());
        for (FakeDaprSidecar.Published p : published) {
            assertEquals("reminder-events", p.topic());
            assertEquals("taskpubsub", p.pubsubName());
            assertEquals("task-7", p.metadata().get("partitionKey"));
            assertEquals(JSON.readTree(event), JSON.readTree(p.data()), "the stored event, unchanged");
        }
    }

    @Test
    void aPastDueTimeFiresAtOnceAndReplacesAPendingJob() throws Exception {
        assertEquals(204, put("/schedules/reminder-c", scheduleBody(Instant.now().plusSeconds(3600),
                reminderEvent(UUID.randomUUID().toString()))).statusCode());
        String id = UUID.randomUUID().toString();
        assertEquals(204, put("/schedules/reminder-c", scheduleBody(Instant.now().minusSeconds(5), reminderEvent(id)))
                .statusCode());
        assertEquals(1, publishedWithId(id).size());
        assertFalse(sidecar.jobs().containsKey("reminder-c"), "the old job is gone");
    }

    @Test
    void deletingIs204AlsoWhenAbsent() throws Exception {
        assertEquals(204, put("/schedules/reminder-d", scheduleBody(Instant.now().plusSeconds(3600),
                reminderEvent(UUID.randomUUID().toString()))).statusCode());
        assertEquals(204, delete("/schedules/reminder-d").statusCode());
        assertFalse(sidecar.jobs().containsKey("reminder-d"));
        assertEquals(204, delete("/schedules/reminder-d").statusCode());
        assertEquals(204, delete("/schedules/never-scheduled").statusCode());
    }

    @Test
    void aBadScheduleIs400AndSchedulesNothing() throws Exception {
        int before = sidecar.scheduleRequests().size();
        for (String body : List.of("", "not json", "{}", "{\"dueTime\": \"soon\", \"topic\": \"reminder-events\", \"event\": {}}",
                "{\"dueTime\": \"2030-01-01T00:00:00Z\", \"topic\": \"elsewhere\", \"event\": " + reminderEvent("x") + "}",
                "{\"dueTime\": \"2030-01-01T00:00:00Z\", \"topic\": \"reminder-events\", \"event\": {\"id\": \"x\"}}")) {
            HttpResponse<String> answer = put("/schedules/bad", body.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, answer.statusCode(), body);
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""));
            assertFalse(answer.body().contains("com.") || answer.body().contains("Exception")
                    || answer.body().contains("[Source"), "no internals in the answer: " + answer.body());
        }
        assertEquals(400, put("/schedules/maintenance.reminder-sweep", scheduleBody(Instant.now().plusSeconds(60),
                reminderEvent("y"))).statusCode(), "the gateway's own jobs are not the API's");
        assertEquals(before, sidecar.scheduleRequests().size());
    }

    @Test
    void theSchedulesClientFunctionsUseGoesThroughTheApi() {
        try (ApplicationContext function = ApplicationContext.run(Map.of(
                "todo.schedules.url", "http://localhost:" + gateway.getPort(),
                "todo.schedules.token", APP_TOKEN))) {
            SchedulesClient client = function.getBean(SchedulesClient.class);
            Instant due = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
            client.schedule("reminder-e", due, "reminder-events", reminderEvent(UUID.randomUUID().toString()));
            assertEquals(due, Instant.parse(sidecar.jobs().get("reminder-e").getJob().getDueTime()));
            client.cancel("reminder-e");
            assertFalse(sidecar.jobs().containsKey("reminder-e"));
        }
    }

    @Test
    void aScheduleTheSchedulerRefusesIs422ForTheApiAndRejectedForTheClient() throws Exception {
        Instant beyond = Instant.parse("+10000-01-01T00:00:00Z");
        HttpResponse<String> refused = put("/schedules/reminder-far", scheduleBody(beyond, reminderEvent("far")));
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(""));
        assertFalse(refused.body().contains("INTERNAL"), "no internals in the answer: " + refused.body());
        try (ApplicationContext function = ApplicationContext.run(Map.of(
                "todo.schedules.url", "http://localhost:" + gateway.getPort(),
                "todo.schedules.token", APP_TOKEN))) {
            SchedulesClient client = function.getBean(SchedulesClient.class);
            assertThrows(JobScheduler.RejectedException.class, () -> client.schedule("reminder-far", beyond,
                    "reminder-events", reminderEvent(UUID.randomUUID().toString())));
        }
    }

    // ---- maintenance (D2, D6) ----

    @Test
    void maintenanceJobsAreRegisteredAtStartupIdempotentlyAndCallTheRightUrls() throws Exception {
        Set<String> expected = Set.of("maintenance.outbox-flush.task-api", "maintenance.outbox-flush.reminder-due",
                "maintenance.outbox-flush.recurring-scheduled", "maintenance.reminder-sweep", "maintenance.retention");
        await(() -> sidecar.jobs().keySet().containsAll(expected), "registered at startup");
        for (String name : expected) {
            assertEquals(name.equals("maintenance.retention") ? "@every 1h" : "@every 1m",
                    sidecar.jobs().get(name).getJob().getSchedule(), name);
            assertTrue(sidecar.jobs().get(name).getOverwrite());
        }
        long registrations = sidecar.scheduleRequests().stream().filter(r -> expected.contains(r.getJob().getName())).count();

        // a second start (a new revision, a restart) registers the same jobs again: still one of each
        try (EmbeddedServer again = ApplicationContext.run(EmbeddedServer.class, gatewayProperties())) {
            await(() -> sidecar.scheduleRequests().stream()
                    .filter(r -> expected.contains(r.getJob().getName())).count() == registrations + expected.size(),
                    "registered again");
            assertEquals(expected, Set.copyOf(sidecar.jobs().keySet().stream()
                    .filter(n -> n.startsWith("maintenance.")).toList()));
        }

        for (String name : expected) {
            assertEquals(200, post("/job/" + name, new byte[0], APP_TOKEN, Map.of()).statusCode(), name);
        }
        for (String function : List.of("task-api", "reminder-due", "recurring-scheduled")) {
            List<TargetFunction.Received> calls = TargetFunction.received("/fn/" + function + "/outbox/flush");
            assertFalse(calls.isEmpty(), function);
            assertEquals(APP_TOKEN, calls.get(0).headers().get("dapr-api-token"));
        }
        assertFalse(TargetFunction.received("/fn/reminder-due/reminders/sweep").isEmpty());
        assertFalse(TargetFunction.received("/fn/task-api/maintenance/retention").isEmpty());
    }

    @Test
    void aMaintenanceScheduleTheSchedulerRefusesIsTriedOnceNotForever() throws Exception {
        Map<String, Object> properties = gatewayProperties();
        properties.put("todo.gateway.maintenance-schedule", "*/5 * * * *"); // five fields: Dapr's cron wants six
        properties.put("todo.gateway.maintenance-register-retry", "100ms");
        long before = sidecar.scheduleRequests().stream().filter(r -> r.getJob().getSchedule().equals("*/5 * * * *")).count();
        try (EmbeddedServer refused = ApplicationContext.run(EmbeddedServer.class, properties)) {
            await(() -> sidecar.scheduleRequests().stream()
                    .filter(r -> r.getJob().getSchedule().equals("*/5 * * * *")).count() == before + 1, "tried once");
            Thread.sleep(1000);
            assertEquals(before + 1, sidecar.scheduleRequests().stream()
                    .filter(r -> r.getJob().getSchedule().equals("*/5 * * * *")).count(), "not retried every 100 ms");
        }
    }

    // ---- helpers ----

    private List<FakeDaprSidecar.Published> publishedWithId(String id) {
        return sidecar.published().stream().filter(p -> StructuredEvents.deserialize(p.data()).getId().equals(id)).toList();
    }

    private static String reminderEvent(String id) {
        return new String(StructuredEvents.serialize(StructuredEvents.build(EventType.REMINDER_DUE, id, "/task-created",
                "task-7", Instant.parse("2026-01-01T00:00:00Z"), ("{\"reminderId\":\"" + UUID.randomUUID() + "\"}")
                        .getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }

    private static byte[] scheduleBody(Instant due, String event) {
        return ("{\"dueTime\":\"" + due + "\",\"topic\":\"reminder-events\",\"event\":" + event + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] binaryEvent() {
        return "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> binaryHeaders() {
        return Map.of("Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", UUID.randomUUID().toString(),
                "ce-type", "com.todo.task.created", "ce-source", "/task-api");
    }

    private HttpResponse<String> post(String path, byte[] body, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = request(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, byte[] body) throws Exception {
        return HTTP.send(request(path, APP_TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(request(path, APP_TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.getPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("dapr-api-token", token);
        }
        return request;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
