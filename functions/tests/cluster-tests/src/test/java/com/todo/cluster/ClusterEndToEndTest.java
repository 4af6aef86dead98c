package com.todo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.platform.ChildProcess;
import com.todo.platform.ClusterMain;
import com.todo.platform.ClusterTopology;
import com.todo.platform.DevToken;
import com.todo.platform.Platform;
import com.todo.platform.RealPlatform;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprJobsProtos;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The system as production runs it, on one machine: the shipped jars, each next to its real daprd, the real Dapr
 * scheduler firing the jobs and the real Kafka broker carrying the events through the repository's Subscriptions.
 * Everything is driven through the public API, as a user would.
 */
class ClusterEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "cluster-test-secret-cluster-test-secret-0123";
    /** Kept after the run: every process's log is in target/cluster-e2e/logs. */
    private static final Path dir = Path.of("target/cluster-e2e").toAbsolutePath();
    private static ClusterTopology cluster;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        Platform platform = RealPlatform.required();
        deleteRecursively(dir);
        // the apps as the images run them: JDK 25 where there is one, the images' flags
        cluster = ClusterTopology.start(platform, new ClusterTopology.Settings(dir.resolve("data"), dir.resolve("logs"),
                ChildProcess.freePort(), SECRET, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS, null, null, null),
                line -> System.out.println("[cluster] " + line));
        token = DevToken.sign("e2e-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void deleteRecursively(Path path) throws java.io.IOException {
        if (java.nio.file.Files.exists(path)) {
            try (var walk = java.nio.file.Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    // ---- what a user sees

    @Test
    void aReminderBecomesExactlyOneNotificationOnTime() throws Exception {
        Instant at = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        JsonNode task = create("{\"title\": \"Stretch\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        JsonNode notification = awaitNotification(task.path("id").asText(), Duration.ofSeconds(30));
        Instant created = Instant.parse(notification.path("createdAt").asText());
        assertEquals(at, Instant.parse(notification.path("remindAt").asText()));
        assertTrue(!created.isBefore(at), "not before its time: " + created);
        assertTrue(created.isBefore(at.plusSeconds(5)), "on time (within 5 s): " + created);
        Thread.sleep(3000);
        assertEquals(1, notificationsFor(task.path("id").asText()).size(), "exactly one");
    }

    @Test
    void movingAReminderMovesItsJobAndItDoesNotFireAtTheOldTime() throws Exception {
        Instant at = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        JsonNode task = create("{\"title\": \"Move me\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        String reminder = task.path("reminders").get(0).path("id").asText();
        Instant later = at.plusSeconds(300);
        HttpResponse<String> patched = api("PATCH", "/api/v1/tasks/" + task.path("id").asText(),
                "application/merge-patch+json", "{\"reminders\": [{\"id\": \"" + reminder + "\", \"at\": \"" + later + "\"}]}");
        assertEquals(200, patched.statusCode(), patched.body());
        awaitJob("reminder-" + reminder, job -> Instant.parse(job.getDueTime()).equals(later),
                Duration.ofSeconds(20));
        Thread.sleep(Duration.between(Instant.now(), at.plusSeconds(4)).toMillis());
        assertEquals(List.of(), notificationsFor(task.path("id").asText()), "the old time is gone");
    }

    @Test
    void completingOrDeletingATaskCancelsItsReminders() throws Exception {
        Instant at = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        JsonNode completed = create("{\"title\": \"Done soon\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        JsonNode deleted = create("{\"title\": \"Gone soon\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        awaitJob("reminder-" + completed.path("reminders").get(0).path("id").asText(), j -> true, Duration.ofSeconds(20));
        awaitJob("reminder-" + deleted.path("reminders").get(0).path("id").asText(), j -> true, Duration.ofSeconds(20));
        assertEquals(200, api("POST", "/api/v1/tasks/" + completed.path("id").asText() + "/complete", null, null)
                .statusCode());
        assertEquals(204, api("DELETE", "/api/v1/tasks/" + deleted.path("id").asText(), null, null).statusCode());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), at.plusSeconds(5)).toMillis()));
        assertEquals(List.of(), notificationsFor(completed.path("id").asText()), "completed: no notification");
        assertEquals(List.of(), notificationsFor(deleted.path("id").asText()), "deleted: no notification");
    }

    @Test
    void completingARecurringTaskCreatesExactlyOneNextOccurrence() throws Exception {
        JsonNode task = create("{\"title\": \"Water plants\", \"dueAt\": \"2027-03-01T08:00:00Z\", "
                + "\"recurrence\": {\"rule\": \"FREQ=DAILY\"}}");
        String id = task.path("id").asText();
        assertEquals(200, api("POST", "/api/v1/tasks/" + id + "/complete", null, null).statusCode());
        assertEquals(200, api("POST", "/api/v1/tasks/" + id + "/complete", null, null).statusCode(), "twice: no change");
        List<JsonNode> next = awaitOthersInSeries(task);
        assertEquals(1, next.size(), "the next occurrence: " + next);
        assertEquals("2027-03-02T08:00:00Z", Instant.parse(next.get(0).path("dueAt").asText()).toString());
        Thread.sleep(3000);
        assertEquals(2, series(task).size(), "exactly one next occurrence, also after a while");
    }

    @Test
    void tenConcurrentSkipsCancelTheOccurrencesReminderAndCreateTheNextOccurrenceOnce() throws Exception {
        Instant due = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        JsonNode task = create("{\"title\": \"Skip me\", \"dueAt\": \"" + due + "\", "
                + "\"recurrence\": {\"rule\": \"FREQ=DAILY\"}, \"reminders\": [{\"before\": \"PT10S\"}]}");
        String id = task.path("id").asText();
        awaitJob("reminder-" + task.path("reminders").get(0).path("id").asText(), j -> true, Duration.ofSeconds(20));
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            java.util.concurrent.Callable<HttpResponse<String>> skip =
                    () -> api("POST", "/api/v1/tasks/" + id + "/skip", null, null);
            for (Future<HttpResponse<String>> answer : callers.invokeAll(java.util.Collections.nCopies(10, skip))) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
                assertEquals(2, JSON.readTree(answer.get().body()).path("version").asInt(), "one skip");
            }
        } finally {
            callers.shutdownNow();
        }
        List<JsonNode> next = awaitOthersInSeries(task);
        assertEquals(1, next.size(), "the next occurrence: " + next);
        assertEquals(due.plus(1, ChronoUnit.DAYS), Instant.parse(next.get(0).path("dueAt").asText()));
        Thread.sleep(Math.max(3000, Duration.between(Instant.now(), due.plusSeconds(2)).toMillis()));
        assertEquals(2, series(task).size(), "exactly one next occurrence, also after a while");
        assertEquals(List.of(), notificationsFor(id), "the skipped occurrence's reminder was cancelled");
    }

    // ---- what the platform carries

    @Test
    void theCloudEventOnKafkaIsOursAndTheFunctionHandledThatId() throws Exception {
        JsonNode task = create("{\"title\": \"On the wire\"}");
        String taskId = task.path("id").asText();
        JsonNode event = JSON.readTree(read("task-events", r -> taskId.equals(r.key())).value());
        assertEquals("com.todo.task.created", event.path("type").asText());
        assertEquals("/task-api", event.path("source").asText());
        assertEquals(taskId, event.path("subject").asText());
        String id = event.path("id").asText();
        assertEquals(id, UUID.fromString(id).toString());
        awaitLog("task-created", "type=com.todo.task.created id=" + id + " outcome=SUCCESS");
    }

    @Test
    void aPoisonEventEndsOnTheDeadLetterTopic() throws Exception {
        String id = UUID.randomUUID().toString();
        String poison = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"com.todo.task.created\","
                + "\"source\":\"/task-api\",\"subject\":\"not-a-task\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"bogus\":true}}";
        HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-api").daprd()
                        .httpUrl("/v1.0/publish/taskpubsub/task-events?metadata.partitionKey=not-a-task")))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(poison)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, published.statusCode(), published.body());
        ConsumerRecord<String, String> dead = read("task-events-dlq", r -> r.value().contains("\"id\":\"" + id + "\""));
        assertTrue(dead.value().contains("\"bogus\":true"), dead.value());
        awaitLog("task-created", "outcome=DROP");
        awaitLog("task-created", "reason=event " + id + " (com.todo.task.created) data is invalid");
    }

    @Test
    void theRequestsTraceReachesEveryFunctionThatHandlesItsTask() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> created = api("POST", "/api/v1/tasks", "application/json", "{\"title\": \"Traced\", "
                + "\"dueAt\": \"2027-03-01T08:00:00Z\", \"recurrence\": {\"rule\": \"FREQ=DAILY\"}, "
                + "\"reminders\": [{\"at\": \"" + at + "\"}]}", traceparent);
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        awaitNotification(id, Duration.ofSeconds(30));
        assertEquals(200, api("PATCH", "/api/v1/tasks/" + id, "application/merge-patch+json", "{\"priority\": \"high\"}",
                traceparent).statusCode());
        assertEquals(200, api("POST", "/api/v1/tasks/" + id + "/complete", null, null, traceparent).statusCode());
        assertEquals(204, api("DELETE", "/api/v1/tasks/" + id, null, null, traceparent).statusCode());
        for (String function : List.of("task-created", "reminder-due", "task-updated", "task-completed",
                "recurring-scheduled", "task-deleted")) {
            awaitLog(function, "outcome=SUCCESS ms=", traceId);
        }
    }

    @Test
    void nothingListensBeyondLoopback() throws Exception {
        java.net.InetAddress outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no non-loopback address to try"));
        List<Integer> ports = new ArrayList<>();
        for (String app : ClusterTopology.DEPLOYABLES) {
            ports.addAll(List.of(cluster.app(app).port(), cluster.app(app).daprd().httpPort(),
                    cluster.app(app).daprd().grpcPort()));
        }
        ports.add(Integer.parseInt(cluster.kafka().bootstrap().replaceAll(".*:", "")));
        ports.add(Integer.parseInt(cluster.scheduler().address().replaceAll(".*:", "")));
        ports.add(Integer.parseInt(cluster.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1")));
        for (int port : ports) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(outside, port), 500);
                fail("port " + port + " answers on " + outside + ": reachable from beyond this machine's loopback");
            } catch (java.io.IOException refused) {
                // only loopback listens
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            }
        }
    }

    // ---- helpers

    private static JsonNode create(String body) throws Exception {
        HttpResponse<String> created = api("POST", "/api/v1/tasks", "application/json", body);
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body());
    }

    private static HttpResponse<String> api(String method, String path, String contentType, String body) throws Exception {
        return api(method, path, contentType, body, null);
    }

    private static HttpResponse<String> api(String method, String path, String contentType, String body,
                                            String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.app("task-api").url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> notificationsFor(String taskId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode n : JSON.readTree(api("GET", "/api/v1/notifications", null, null).body()).path("items")) {
            if (n.path("taskId").asText().equals(taskId)) {
                found.add(n);
            }
        }
        return found;
    }

    private static JsonNode awaitNotification(String taskId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = notificationsFor(taskId);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(200);
        }
        return fail("no notification for task " + taskId + " within " + within);
    }

    /** The series' tasks other than {@code task}, once there is one (or none after 30 s). */
    private static List<JsonNode> awaitOthersInSeries(JsonNode task) throws Exception {
        String id = task.path("id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonNode> others;
        do {
            Thread.sleep(300);
            others = series(task).stream().filter(t -> !t.path("id").asText().equals(id)).toList();
        } while (others.isEmpty() && System.nanoTime() < deadline);
        return others;
    }

    private static List<JsonNode> series(JsonNode first) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        String seriesId = first.path("seriesId").asText(first.path("id").asText());
        for (JsonNode t : JSON.readTree(api("GET", "/api/v1/tasks?size=100", null, null).body()).path("items")) {
            if (t.path("id").asText().equals(first.path("id").asText()) || t.path("seriesId").asText().equals(seriesId)) {
                found.add(t);
            }
        }
        return found;
    }

    /**
     * The gateway's job as the scheduler holds it, once it matches; read over daprd's gRPC API, because its HTTP
     * GetJob answers 500 for a job whose data has no type_url (ours: raw JSON bytes, delivered as they are).
     */
    private static DaprJobsProtos.Job awaitJob(String name, Predicate<DaprJobsProtos.Job> matches, Duration within)
            throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1",
                cluster.app("event-gateway").daprd().grpcPort()).usePlaintext().build();
        try {
            DaprGrpc.DaprBlockingStub dapr = DaprGrpc.newBlockingStub(channel);
            long deadline = System.nanoTime() + within.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                try {
                    DaprJobsProtos.Job job = dapr.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getJobAlpha1(DaprJobsProtos.GetJobRequest.newBuilder().setName(name).build()).getJob();
                    if (matches.test(job)) {
                        return job;
                    }
                    last = job.toString();
                } catch (StatusRuntimeException e) {
                    last = e.getStatus().toString();
                }
                Thread.sleep(200);
            }
            return fail("job " + name + " not as expected within " + within + ": " + last);
        } finally {
            channel.shutdownNow();
        }
    }

    /** Waits until {@code app} logs a line containing every one of {@code parts}. */
    private static void awaitLog(String app, String... parts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (cluster.app(app).jar().logText().lines().anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains))) {
                return;
            }
            Thread.sleep(200);
        }
        fail(app + " never logged a line with " + List.of(parts) + ":\n" + cluster.app(app).jar().tail(20));
    }

    private static ConsumerRecord<String, String> read(String topic, Predicate<ConsumerRecord<String, String>> wanted) {
        return cluster.kafka().awaitRecord(topic, wanted, Duration.ofSeconds(30));
    }
}
