package com.todo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.todo.platform.ChildProcess;
import com.todo.platform.ClusterMain;
import com.todo.platform.ClusterTopology;
import com.todo.platform.DevToken;
import com.todo.platform.Platform;
import com.todo.platform.RealPlatform;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead letters on the production topology (docs/reliability.md): an event its function DROPs, and one no function
 * is routed for, reach the topic's dead-letter topic once; an event whose function keeps answering RETRY is retried
 * by the gateway's daprd as resiliency.yaml's {@code pubsubRetry} says and is then dead-lettered, after the time that
 * policy implies. The measured figures are printed and written to target/cluster-dlq/dead-letters.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDeadLetterTest {

    private static final String SECRET = "cluster-dead-letter-secret-cluster-dead-letter";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path dir = Path.of("target/cluster-dlq").toAbsolutePath();
    /** Dapr's exponential policy when resiliency.yaml names only maxInterval and maxRetries (dapr/kit retry). */
    private static final double INITIAL_SECONDS = 0.5;
    private static final double MULTIPLIER = 1.5;
    private static final double RANDOMIZATION = 0.5;
    private static ClusterTopology cluster;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Platform platform = RealPlatform.required();
        ClusterEndToEndTest.deleteRecursively(dir);
        cluster = ClusterTopology.start(platform, new ClusterTopology.Settings(dir.resolve("data"), dir.resolve("logs"),
                ChildProcess.freePort(), SECRET, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS, null, null, null),
                line -> System.out.println("[dlq] " + line));
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        Files.writeString(dir.resolve("dead-letters.md"), String.join("\n", report) + "\n");
    }

    @Test
    @Order(1)
    void aPoisonEventAndAnUnroutedOneEachReachTheDeadLetterTopicOnce() throws Exception {
        // schema-invalid data: recurring-scheduled answers DROP; an unknown type: the gateway's default route DROPs
        String poison = publish("com.todo.recurring.scheduled", "{\"not\":\"a recurring.scheduled event\"}");
        String unrouted = publish("com.todo.nobody.handles.this", "{}");
        Instant published = Instant.now();

        for (String id : List.of(poison, unrouted)) {
            ConsumerRecord<String, String> letter = cluster.kafka().awaitRecord("recurring-events-dlq",
                    r -> id.equals(idOf(r)), Duration.ofSeconds(60));
            report.add(String.format(Locale.ROOT, "DROP %s: on recurring-events-dlq %.1f s after publishing",
                    id.equals(poison) ? "(schema-invalid data)" : "(no route)",
                    Duration.between(published, Instant.ofEpochMilli(letter.timestamp())).toMillis() / 1000.0));
        }
        Thread.sleep(5000); // daprd does not deliver a DROP again: no second copy may follow
        assertEquals(1, copies("recurring-events-dlq", poison), "the dropped event is dead-lettered once");
        assertEquals(1, copies("recurring-events-dlq", unrouted), "the unrouted event is dead-lettered once");
        report.forEach(System.out::println);
    }

    @Test
    @Order(2)
    void anEventWhoseFunctionKeepsAnsweringRetryIsRetriedByThePolicyAndThenDeadLetteredOnce() throws Exception {
        Policy policy = Policy.read(Path.of("../../dapr-components/resiliency.yaml"));
        ClusterTopology.Part function = recurringScheduled();
        // recurring-scheduled's pod cannot start: in its place, what Knative's activator then answers
        function.kill().run();
        RetryingFunction unavailable = RetryingFunction.start(cluster.app("recurring-scheduled").port());
        List<Instant> attempts = unavailable.attempts;
        List<String> ids = unavailable.ids;
        String id;
        ConsumerRecord<String, String> letter;
        try {
            completeAnOccurrence();
            id = unavailable.firstId();
            letter = cluster.kafka().awaitRecord("recurring-events-dlq", r -> id.equals(idOf(r)),
                    Duration.ofSeconds((long) policy.maxSeconds() + 60));
            Thread.sleep(5000);
        } finally {
            unavailable.close();
            function.restart().run();
            function.awaitReady().run();
        }

        assertTrue(ids.stream().allMatch(id::equals), "one event, delivered again and again: " + ids);
        assertEquals(policy.maxRetries() + 1, attempts.size(), "the first delivery and maxRetries retries: " + attempts);
        double total = Duration.between(attempts.get(0), Instant.ofEpochMilli(letter.timestamp())).toMillis() / 1000.0;
        double lastGap = Duration.between(attempts.get(attempts.size() - 2), attempts.get(attempts.size() - 1))
                .toMillis() / 1000.0;
        report.add(String.format(Locale.ROOT, "RETRY until dead-lettered: %d deliveries, the first to the dead-letter "
                        + "topic %.1f s (the policy: %.0f s without jitter, %.0f–%.0f s with it); last interval %.1f s",
                attempts.size(), total, policy.nominalSeconds(), policy.minSeconds(), policy.maxSeconds(), lastGap));
        report.forEach(System.out::println);
        assertTrue(total >= policy.minSeconds() && total <= policy.maxSeconds() + 5, report.get(report.size() - 1));
        assertEquals(1, copies("recurring-events-dlq", id), "dead-lettered once");
    }

    /** Where a function was: answers every delivery 503 RETRY and records when it came. */
    private static final class RetryingFunction implements AutoCloseable {
        final List<Instant> attempts = new CopyOnWriteArrayList<>();
        final List<String> ids = new CopyOnWriteArrayList<>();
        private HttpServer server;

        static RetryingFunction start(int port) throws IOException {
            RetryingFunction function = new RetryingFunction();
            function.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            // the function's event route only: its other callers (the gateway's minute outbox flush) are not deliveries
            function.server.createContext("/recurring-scheduled", exchange -> {
                function.attempts.add(Instant.now());
                // daprd delivers a structured CloudEvent: its id is in the body
                function.ids.add(JSON.readTree(exchange.getRequestBody().readAllBytes()).path("id").asText());
                byte[] body = "{\"status\":\"RETRY\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            function.server.start();
            return function;
        }

        String firstId() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ids.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the event reached the function within 60 s");
                Thread.sleep(100);
            }
            return ids.get(0);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static ClusterTopology.Part recurringScheduled() {
        return cluster.parts().stream().filter(p -> p.name().equals("recurring-scheduled")).findFirst().orElseThrow();
    }

    /** A real event: completing an occurrence of a series makes task-completed publish recurring.scheduled. */
    private static void completeAnOccurrence() throws Exception {
        String token = DevToken.sign("dlq-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        JsonNode task = JSON.readTree(api(token, "POST", "/api/v1/tasks", "{\"title\":\"retried\",\"dueAt\":"
                + "\"2027-03-01T08:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}", 201));
        api(token, "POST", "/api/v1/tasks/" + task.get("id").asText() + "/complete", null, 200);
    }

    /** resiliency.yaml's pubsubRetry, with Dapr's defaults for what it leaves out. */
    private record Policy(int maxRetries, double maxIntervalSeconds) {

        static Policy read(Path resiliency) throws IOException {
            String yaml = Files.readString(resiliency);
            Matcher m = Pattern.compile("pubsubRetry:\\s*\\n\\s*policy: exponential\\s*\\n\\s*maxInterval: (\\d+)s\\s*\\n"
                    + "\\s*maxRetries: (\\d+)").matcher(yaml);
            assertTrue(m.find(), "resiliency.yaml's pubsubRetry is exponential with maxInterval and maxRetries");
            return new Policy(Integer.parseInt(m.group(2)), Double.parseDouble(m.group(1)));
        }

        /** The intervals before each retry, without jitter: each 1.5 times the last, capped at maxInterval. */
        double nominalSeconds() {
            double sum = 0;
            double interval = INITIAL_SECONDS;
            for (int i = 0; i < maxRetries; i++) {
                sum += Math.min(interval, maxIntervalSeconds);
                interval *= MULTIPLIER;
            }
            return sum;
        }

        double minSeconds() {
            return nominalSeconds() * (1 - RANDOMIZATION);
        }

        double maxSeconds() {
            return nominalSeconds() * (1 + RANDOMIZATION);
        }
    }

    /** Publishes a structured CloudEvent to recurring-events through task-completed's daprd, as its publisher does. */
    private static String publish(String type, String data) throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/dead-letter-test\",\"type\":\""
                + type + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-completed").daprd()
                        .httpUrl("/v1.0/publish/taskpubsub/recurring-events")))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, answer.statusCode(), answer.body());
        return id;
    }

    private static String api(String token, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-api").url(path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, answer.statusCode(), answer.body());
        return answer.body();
    }

    private static long copies(String topic, String id) {
        return cluster.kafka().records(topic).stream().filter(r -> id.equals(idOf(r))).count();
    }

    private static String idOf(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? null : JSON.readTree(record.value()).path("id").asText(null);
        } catch (IOException notJson) {
            return null;
        }
    }
}
