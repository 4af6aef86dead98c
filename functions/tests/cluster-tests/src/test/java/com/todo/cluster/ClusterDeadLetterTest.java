package com.todo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.todo.platform.ChildProcess;
import com.todo.platform.ClusterMain;
import com.todo.platform.ClusterTopology;
import com.todo.platform.DevToken;
import com.todo.platform.KafkaBroker;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead letters on the production topology (docs/reliability.md): an event its function DROPs, and one no function
 * is routed for, reach the topic's dead-letter topic once; an event whose function keeps answering RETRY is retried
 * by the gateway's daprd as resiliency.yaml's {@code pubsubRetry} says and is then dead-lettered, after the time that
 * policy implies; a second gateway replica started during such a retry takes the partition while the first keeps
 * retrying, and when the function is back the event's effect happens once. The measured figures are printed and
 * written to target/cluster-dlq/dead-letters.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDeadLetterTest {

    private static final String SECRET = "cluster-dead-letter-secret-cluster-dead-letter";
    private static final String ADMIN = DevToken.sign("operator", SECRET, Duration.ofHours(2), "todo-admin");
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

        // the gateway's daprd delivers recurring-events-dlq to the gateway, which forwards it to the inbox
        JsonNode dropped = awaitDeadLetter(poison);
        JsonNode noRoute = awaitDeadLetter(unrouted);
        for (JsonNode letter : List.of(dropped, noRoute)) {
            assertEquals("recurring-events", letter.get("topic").asText(), letter.toString());
            assertEquals(1, letter.get("deliveries").asInt(), "one entry, one delivery: " + letter);
            assertEquals(letter.get("id").asText(), letter.at("/event/id").asText());
            assertTrue(letter.at("/event/topic").isMissingNode(), "daprd's envelope is not kept: " + letter);
        }
        assertTrue(dropped.get("reason").asText().contains("data is invalid"), "recurring-scheduled's reason: " + dropped);
        assertEquals("no function 'unrouted' to forward to", noRoute.get("reason").asText());
        report.add("inbox: " + dropped.get("id").asText() + " reason \"" + dropped.get("reason").asText() + "\"");
        report.forEach(System.out::println);

        // the shipped gateway counts them for the operator's alerts (docs/operations.md)
        HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("event-gateway")
                        .url("/prometheus"))).header("dapr-api-token", cluster.appApiToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scraped.statusCode());
        assertTrue(sample(scraped.body(), "todo_dead_letters_total{topic=\"recurring-events\"}") >= 2, scraped.body());
        assertTrue(sample(scraped.body(), "todo_events_total{function=\"recurring-scheduled\",outcome=\"DROP\"}") >= 1,
                scraped.body());
        assertTrue(sample(scraped.body(), "todo_events_total{function=\"unknown\",outcome=\"DROP\"}") >= 1,
                scraped.body());
    }

    /** One sample's value in a Prometheus scrape (name and labels as written), or -1 when absent. */
    private static double sample(String scraped, String name) {
        return scraped.lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).strip())).findFirst().orElse(-1);
    }

    /** The admin API refuses a user's token on every route, and refusing changes nothing. */
    @Test
    @Order(4)
    void aUserTokenGets403OnEveryAdminRoute() throws Exception {
        String id = publish("com.todo.nobody.handles.this.either", "{}");
        awaitDeadLetter(id);
        String user = DevToken.sign("dlq-user", SECRET, Duration.ofHours(1));
        for (String[] route : List.of(new String[]{"GET", "/admin/dead-letters"},
                new String[]{"GET", "/admin/dead-letters/" + id}, new String[]{"POST", "/admin/dead-letters/" + id + "/replay"},
                new String[]{"DELETE", "/admin/dead-letters/" + id})) {
            api(user, route[0], route[1], null, 403);
        }
        JsonNode letter = JSON.readTree(api(ADMIN, "GET", "/admin/dead-letters/" + id, null, 200));
        assertEquals(0, letter.get("replays").asInt(), letter.toString());
        api(ADMIN, "DELETE", "/admin/dead-letters/" + id, null, 204);
        api(ADMIN, "GET", "/admin/dead-letters/" + id, null, 404);
    }

    /** The gateway's hourly retention job, fired as daprd fires it, reaches task-api's retention route. */
    @Test
    @Order(5)
    void theRetentionJobRunsRetentionOnTaskApi() throws Exception {
        HttpResponse<String> fired = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("event-gateway")
                        .url("/job/maintenance.retention"))).header("dapr-api-token", cluster.appApiToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fired.statusCode(), "200 only when task-api's route answered 2xx: " + fired.body());
        HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-api")
                        .url("/maintenance/retention"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode(), "without the app token: " + direct.body());
    }

    @Test
    @Order(2)
    void anEventWhoseFunctionKeepsAnsweringRetryIsRetriedByThePolicyAndThenDeadLetteredOnce() throws Exception {
        Policy policy = Policy.read(Path.of("../../../dapr-components/resiliency.yaml"));
        ClusterTopology.Part function = recurringScheduled();
        // recurring-scheduled's pod cannot start: in its place, what Knative's activator then answers
        function.kill().run();
        StandIn unavailable = StandIn.start(cluster.app("recurring-scheduled").port());
        String id;
        String completed;
        ConsumerRecord<String, String> letter;
        try {
            completed = completeAnOccurrence();
            id = unavailable.firstId();
            letter = cluster.kafka().awaitRecord("recurring-events-dlq", r -> id.equals(idOf(r)),
                    Duration.ofSeconds((long) policy.maxSeconds() + 60));
            Thread.sleep(5000);
        } finally {
            unavailable.close();
            function.restart().run();
            function.awaitReady().run();
        }

        List<Instant> attempts = unavailable.attempts();
        assertTrue(unavailable.deliveries.stream().allMatch(d -> d.id().equals(id)),
                "one event, delivered again and again: " + unavailable.deliveries);
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

        // the cause is fixed (recurring-scheduled is back): the operator replays the dead letter, twice
        JsonNode kept = awaitDeadLetter(id);
        assertEquals(1, kept.get("deliveries").asInt(), kept.toString());
        assertEquals("com.todo.recurring.scheduled", kept.get("type").asText());
        try (Connection db = cluster.connectDatabase()) {
            String series = "SELECT count(*) FROM tasks WHERE coalesce(series_id, id) = "
                    + "(SELECT coalesce(series_id, id) FROM tasks WHERE id = ?::uuid)";
            assertEquals(1, count(db, series, completed), "nothing happened before the replay");
            Instant replayed = Instant.now();
            api(ADMIN, "POST", "/admin/dead-letters/" + id + "/replay", null, 200);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count(db, series, completed) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            report.add(String.format(Locale.ROOT, "REPLAY from the inbox: the next occurrence existed %.1f s after "
                    + "the replay", secs(replayed, Instant.now())));
            assertEquals(2, count(db, series, completed), "the replay's effect: the next occurrence");
            api(ADMIN, "POST", "/admin/dead-letters/" + id + "/replay", null, 200);
            awaitHandledTwice(id);
            assertEquals(2, count(db, series, completed), "a second replay changes nothing");
            assertEquals(1, count(db, "SELECT count(*) FROM inbox WHERE consumer = 'recurring-scheduled' "
                    + "AND event_id = ?", id), "the function took the event once");
        }
        JsonNode after = JSON.readTree(api(ADMIN, "GET", "/admin/dead-letters/" + id, null, 200));
        assertEquals(2, after.get("replays").asInt(), after.toString());
        assertEquals(1, after.get("deliveries").asInt(), "not dead-lettered again: " + after);
        report.forEach(System.out::println);
    }

    /** The dead letter in the inbox, through the admin API, once it is there. */
    private static JsonNode awaitDeadLetter(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-api")
                            .url("/admin/dead-letters/" + id))).header("Authorization", "Bearer " + ADMIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return JSON.readTree(answer.body());
            }
            assertEquals(404, answer.statusCode(), answer.body());
            assertTrue(System.nanoTime() < deadline, "dead letter " + id + " did not reach the inbox within 60 s");
            Thread.sleep(250);
        }
    }

    /** Waits for recurring-scheduled's log to show the event handled a second time (the duplicate, a no-op). */
    private static void awaitHandledTwice(String id) throws Exception {
        Path log = cluster.app("recurring-scheduled").jar().log();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.readAllLines(log).stream().filter(l -> l.contains("id=" + id) && l.contains("outcome=SUCCESS"))
                .count() < 2) {
            assertTrue(System.nanoTime() < deadline, "the second replay was not handled within 60 s");
            Thread.sleep(250);
        }
    }

    @Test
    @Order(3)
    void aSecondGatewayReplicaDuringALongRetryTakesThePartitionWhileTheFirstKeepsRetryingAndTheEffectHappensOnce()
            throws Exception {
        // recurring-scheduled cannot start; each gateway replica forwards to its own stand-in, so each delivery
        // says which replica's daprd made it
        ClusterTopology.Part function = recurringScheduled();
        function.kill().run();
        List<ClusterTopology.App> added = new ArrayList<>();
        StandIn first = StandIn.start(cluster.app("recurring-scheduled").port());
        StandIn second = StandIn.start(ChildProcess.freePort());
        GroupWatch watch = null;
        try {
            String completed = completeAnOccurrence();
            String id = first.firstId();
            first.awaitDelivery(d -> first.deliveries.size() >= 6, Duration.ofSeconds(60), "a long retry under way");

            // the autoscaler adds a gateway pod: a second consumer in the event-gateway group
            watch = GroupWatch.start();
            Instant scaling = Instant.now();
            added.add(cluster.startReplica("event-gateway", "event-gateway-2",
                    Map.of(ClusterTopology.gatewayUrlVariable("recurring-scheduled"), "http://127.0.0.1:" + second.port())));
            Instant moved = second.awaitDelivery(d -> d.id().equals(id), Duration.ofSeconds(240),
                    "the retried event reached the second replica").at();
            Instant stillRetrying = first.awaitDelivery(d -> d.at().isAfter(moved), Duration.ofSeconds(150),
                    "the first replica kept delivering after the partition moved").at();

            // the function is back (a new pod, on a new port): the next delivery from each replica reaches it
            added.add(cluster.startReplica("recurring-scheduled", "recurring-scheduled-2", Map.of()));
            int functionPort = added.get(1).port();
            first.forwardTo(functionPort);
            second.forwardTo(functionPort);
            Instant back = Instant.now();
            StandIn.Delivery firstDone = first.awaitDelivery(d -> d.at().isAfter(back) && d.status() == 200,
                    Duration.ofSeconds(150), "the first replica's retry reached the function");
            StandIn.Delivery secondDone = second.awaitDelivery(d -> d.at().isAfter(back) && d.status() == 200,
                    Duration.ofSeconds(150), "the second replica's retry reached the function");
            Instant stable = awaitGroup(2, Duration.ofSeconds(180));
            Thread.sleep(5000);
            watch.close();
            double slowest = watch.slowestProbeSeconds();

            report.add(String.format(Locale.ROOT, "SCALE the gateway to two replicas during a long retry (times from "
                            + "starting the second replica): the retried event reached the second replica at %.1f s; "
                            + "the first replica delivered it again at %.1f s and %d times after the move in all; the "
                            + "function was back at %.1f s, reached by the second replica's retry at %.1f s and by the "
                            + "first's at %.1f s; the group was stable with 2 members at %.1f s. Deliveries: %d by the "
                            + "first replica, %d by the second, %d answered by the function. An unrelated event "
                            + "published every second on task-events took at most %.1f s to be delivered. The group: %s",
                    secs(scaling, moved), secs(scaling, stillRetrying),
                    first.deliveries.stream().filter(d -> d.at().isAfter(moved)).count(), secs(scaling, back),
                    secs(scaling, secondDone.at()), secs(scaling, firstDone.at()), secs(scaling, stable),
                    first.deliveries.size(), second.deliveries.size(),
                    Stream.concat(first.deliveries.stream(), second.deliveries.stream()).filter(d -> d.status() == 200)
                            .count(), slowest, watch.changes(scaling)));
            report.forEach(System.out::println);

            assertTrue(Stream.concat(first.deliveries.stream(), second.deliveries.stream())
                    .allMatch(d -> d.id().equals(id)), "one event, delivered by both replicas");
            try (Connection db = cluster.connectDatabase()) {
                assertEquals(2, count(db, "SELECT count(*) FROM tasks WHERE coalesce(series_id, id) = "
                        + "(SELECT coalesce(series_id, id) FROM tasks WHERE id = ?::uuid)", completed),
                        "the completed occurrence and exactly one next one");
                assertEquals(1, count(db, "SELECT count(*) FROM inbox WHERE consumer = 'recurring-scheduled' "
                        + "AND event_id = ?", id), "the function took the event once");
            }
            assertEquals(0, copies("recurring-events-dlq", id), "not dead-lettered: it was handled");
            assertTrue(slowest < 180, "every probe was delivered: " + slowest + " s");
            double after = probeSeconds(Duration.ofSeconds(30));
            assertTrue(after < 10, "deliveries flow again once the group is stable: " + after + " s");
        } finally {
            if (watch != null) {
                watch.close();
            }
            first.close();
            second.close();
            for (ClusterTopology.App app : added) {
                app.jar().close();
                app.daprd().close();
            }
            function.restart().run();
            function.awaitReady().run();
        }
    }

    /**
     * While a test changes the gateway's replicas: every second, an unrelated event on task-events (no function is
     * routed for it, so the gateway's DROP puts it on task-events-dlq) and the event-gateway group as its
     * coordinator sees it, recorded when it changes.
     */
    private static final class GroupWatch implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final Map<String, Instant> probes = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<Map.Entry<Instant, String>> changes = new CopyOnWriteArrayList<>();

        static GroupWatch start() {
            GroupWatch watch = new GroupWatch();
            watch.timer.scheduleAtFixedRate(watch::sample, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
            return watch;
        }

        private void sample() {
            try {
                Instant now = Instant.now();
                probes.put(publish("task-events", "com.todo.probe.nobody.handles.this", "{}"), now);
                String group = held(cluster.kafka().describeGroup("event-gateway"));
                if (changes.isEmpty() || !changes.get(changes.size() - 1).getValue().equals(group)) {
                    changes.add(Map.entry(now, group));
                }
            } catch (Exception e) {
                changes.add(Map.entry(Instant.now(), "watch failed: " + e));
            }
        }

        /** The longest time a probe took to reach task-events-dlq. */
        double slowestProbeSeconds() {
            Map<String, Instant> delivered = new java.util.HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (delivered.size() < probes.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : cluster.kafka().records("task-events-dlq")) {
                    if (probes.containsKey(idOf(r))) {
                        delivered.put(idOf(r), Instant.ofEpochMilli(r.timestamp()));
                    }
                }
            }
            assertEquals(probes.keySet(), delivered.keySet(), "every probe reached task-events-dlq");
            return probes.entrySet().stream().mapToDouble(p -> secs(p.getValue(), delivered.get(p.getKey()))).max()
                    .orElseThrow();
        }

        String changes(Instant from) {
            return changes.stream().map(c -> String.format(Locale.ROOT, "%.0f s %s", secs(from, c.getKey()),
                    c.getValue())).toList().toString();
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Waits until the gateway's group is stable with {@code members} members that hold every partition it reads. */
    private static Instant awaitGroup(int members, Duration within) throws InterruptedException {
        // the gateway reads every topic but notification-events: the three event topics and their dead-letter topics
        int partitions = ClusterTopology.topics(Path.of("../../../dapr-components/topics.md")).entrySet().stream()
                .filter(t -> !t.getKey().equals("notification-events"))
                .mapToInt(Map.Entry::getValue).sum();
        long deadline = System.nanoTime() + within.toNanos();
        KafkaBroker.Group group;
        do {
            group = cluster.kafka().describeGroup("event-gateway");
            if (group.state().equalsIgnoreCase("stable") && group.members().size() == members
                    && group.partitionsHeld() == partitions && group.members().values().stream().noneMatch(Set::isEmpty)) {
                return Instant.now();
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the event-gateway group did not settle with " + members + " members holding "
                + partitions + " partitions within " + within + ": " + held(group));
    }

    private static String held(KafkaBroker.Group group) {
        return group.state() + ", " + group.members().values().stream()
                .map(p -> p.size() + (p.stream().anyMatch(t -> t.topic().equals("recurring-events"))
                        ? " partitions (with recurring-events)" : " partitions"))
                .toList();
    }

    private static long count(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double secs(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /**
     * Where a function was: answers every delivery 503 RETRY, as Knative's activator does while a pod cannot start,
     * until {@link #forwardTo} says where the function is back; records every delivery and its answer.
     */
    private static final class StandIn implements AutoCloseable {
        record Delivery(Instant at, String id, int status) {
        }

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        private volatile URI function;
        private HttpServer server;

        static StandIn start(int port) throws IOException {
            StandIn standIn = new StandIn();
            standIn.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            standIn.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            // the function's event route only: its other callers (the gateway's minute outbox flush) are not deliveries
            standIn.server.createContext("/recurring-scheduled", standIn::deliver);
            standIn.server.start();
            return standIn;
        }

        private void deliver(HttpExchange exchange) throws IOException {
            Instant at = Instant.now();
            byte[] event = exchange.getRequestBody().readAllBytes();
            URI target = function;
            int status = 503;
            byte[] body = "{\"status\":\"RETRY\"}".getBytes(StandardCharsets.UTF_8);
            if (target != null) {
                HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(event));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                        values.forEach(v -> forward.header(name, v));
                    }
                });
                try {
                    HttpResponse<byte[]> answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = answer.statusCode();
                    body = answer.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // the gateway forwards the structured CloudEvent daprd delivered: its id is in the body
            deliveries.add(new Delivery(at, JSON.readTree(event).path("id").asText(), status));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        void forwardTo(int port) {
            function = URI.create("http://127.0.0.1:" + port);
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Instant> attempts() {
            return deliveries.stream().map(Delivery::at).toList();
        }

        String firstId() throws InterruptedException {
            return awaitDelivery(d -> true, Duration.ofSeconds(60), "the event reached the function within 60 s").id();
        }

        Delivery awaitDelivery(java.util.function.Predicate<Delivery> wanted, Duration within, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                for (Delivery d : deliveries) {
                    if (wanted.test(d)) {
                        return d;
                    }
                }
                assertTrue(System.nanoTime() < deadline, what + ": " + deliveries);
                Thread.sleep(100);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length",
                "expect", "host", "upgrade");
    }

    private static ClusterTopology.Part recurringScheduled() {
        return cluster.parts().stream().filter(p -> p.name().equals("recurring-scheduled")).findFirst().orElseThrow();
    }

    /** A real event: completing an occurrence of a series makes task-completed publish recurring.scheduled. */
    private static String completeAnOccurrence() throws Exception {
        String token = DevToken.sign("dlq-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        JsonNode task = JSON.readTree(api(token, "POST", "/api/v1/tasks", "{\"title\":\"retried\",\"dueAt\":"
                + "\"2027-03-01T08:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}", 201));
        api(token, "POST", "/api/v1/tasks/" + task.get("id").asText() + "/complete", null, 200);
        return task.get("id").asText();
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

    /**
     * How long the gateway's daprd takes to deliver now: an event no function is routed for, published on task-events,
     * until the gateway's DROP puts it on task-events-dlq. Every topic's partitions share one consumer group.
     */
    private static double probeSeconds(Duration within) throws Exception {
        Instant published = Instant.now();
        String probe = publish("task-events", "com.todo.probe.nobody.handles.this", "{}");
        ConsumerRecord<String, String> letter = cluster.kafka().awaitRecord("task-events-dlq",
                r -> probe.equals(idOf(r)), within);
        return Duration.between(published, Instant.ofEpochMilli(letter.timestamp())).toMillis() / 1000.0;
    }

    private static String publish(String type, String data) throws Exception {
        return publish("recurring-events", type, data);
    }

    /** Publishes a structured CloudEvent through task-completed's daprd, as its publisher does. */
    private static String publish(String topic, String type, String data) throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/dead-letter-test\",\"type\":\""
                + type + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.app("task-completed").daprd()
                        .httpUrl("/v1.0/publish/taskpubsub/" + topic)))
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
