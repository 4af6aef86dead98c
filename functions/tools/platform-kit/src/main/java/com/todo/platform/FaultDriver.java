package com.todo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One part of the running topology killed at a time under a steady load through the public API, then judged from
 * the database and the topics, not from logs (docs/reliability.md). Each round has its own user, so its effects are
 * told apart from the other rounds': creates with a reminder a few seconds ahead, creates whose reminder is then
 * moved, completed or deleted, and recurring tasks that are completed. A few seconds into the load the part gets
 * SIGKILL, and after a pause it is started again with its ports, configuration and data.
 *
 * <p>Expected effects follow from what the database holds at the end, so that a write the API committed but could
 * not acknowledge (its caller saw an error) is still held to its promise: every reminder of a pending task whose
 * time has passed has exactly one notification, at its current time; no notification exists for a deleted or
 * completed task's reminder or for a reminder's earlier time; every completed occurrence of a series has exactly one
 * next occurrence; no outbox row stays unpublished.
 */
public final class FaultDriver {

    /** How long and how hard each round runs. */
    public record Settings(Duration load, Duration killAfter, Duration down, int operationsPerSecond,
                           Duration reminderLead, Duration settle) {
        /** What {@code mvn verify} runs: every part, briefly. */
        public static final Settings SHORT = new Settings(Duration.ofSeconds(12), Duration.ofSeconds(3),
                Duration.ofSeconds(4), 4, Duration.ofSeconds(6), Duration.ofSeconds(120));
        /** What {@code scripts/faults.sh} runs. */
        public static final Settings LONG = new Settings(Duration.ofSeconds(60), Duration.ofSeconds(15),
                Duration.ofSeconds(15), 8, Duration.ofSeconds(8), Duration.ofSeconds(180));
    }

    /** One round: the part killed and what was observed. */
    public record Row(String part, int operations, int retryLater, int unavailable, int remindersDue,
                      int notified, int lost, int wrong, int seriesCompleted, int seriesWithoutNext,
                      int seriesWithMore, long unpublished, int duplicatesOnTopics, Duration readyAfter,
                      Duration firstNotificationAfter, Duration settledAfter) {
        /** Nothing lost, nothing wrong, nothing left behind. */
        public boolean whole() {
            return lost == 0 && wrong == 0 && seriesWithoutNext == 0 && seriesWithMore == 0 && unpublished == 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterTopology topology;
    private final String jwtSecret;
    private final Settings settings;
    private final Consumer<String> progress;

    public FaultDriver(ClusterTopology topology, String jwtSecret, Settings settings, Consumer<String> progress) {
        this.topology = topology;
        this.jwtSecret = jwtSecret;
        this.settings = settings;
        this.progress = progress;
    }

    /** A round for each part, in the topology's order; a baseline round with no fault first. */
    public List<Row> run() throws Exception {
        return run(topology.parts().stream().map(ClusterTopology.Part::name).toList());
    }

    /** The baseline round, then a round for each named part. */
    public List<Row> run(List<String> parts) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(round(null));
        for (String name : parts) {
            rows.add(round(topology.parts().stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no part " + name + " in " + topology.parts()))));
        }
        return rows;
    }

    /** One round: load, the fault (none for {@code null}), recovery, and the verdict. */
    public Row round(ClusterTopology.Part part) throws Exception {
        String name = part == null ? "none (baseline)" : part.name();
        String user = "faults-" + name.replaceAll("[^a-z0-9-]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
        String token = DevToken.sign(user, jwtSecret, Duration.ofHours(2));
        Load load = new Load(token);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        Instant start = Instant.now();
        Fault fault = new Fault(name, part);
        Thread faultThread = new Thread(fault, "fault-" + name);
        if (part != null) {
            faultThread.start();
        }
        long tick = 1000 / settings.operationsPerSecond();
        int n = 0;
        // the load goes on while the part is down and until it is ready again, then for the rest of the round
        while (Duration.between(start, Instant.now()).compareTo(settings.load()) < 0 || faultThread.isAlive()) {
            int kind = n++;
            workers.submit(() -> load.operation(kind));
            Thread.sleep(tick);
        }
        faultThread.join();
        if (fault.failure != null) {
            throw new IllegalStateException(name + ": the fault could not be injected or recovered", fault.failure);
        }
        workers.shutdown();
        if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + ": the load's requests did not finish within 60 s");
        }
        if (load.unexpected.get() != null) {
            throw new IllegalStateException(name + ": the API answered the load unexpectedly", load.unexpected.get());
        }
        Instant loadEnd = Instant.now();
        Verdict verdict;
        long deadline = System.nanoTime() + settings.settle().toNanos();
        Instant latestReminder = loadEnd.plus(settings.reminderLead()).plusSeconds(4);
        while (true) {
            verdict = judge(user);
            boolean due = Instant.now().isAfter(latestReminder);
            if ((due && verdict.complete()) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        Duration firstNotification = fault.restarted == null ? null : firstNotificationAfter(user, fault.restarted);
        int duplicates = duplicatesOnTopics(user);
        Row row = new Row(name, load.operations.get(), load.retryLater.get(), load.unavailable.get(),
                verdict.due, verdict.notified, verdict.lost, verdict.wrong, verdict.seriesCompleted,
                verdict.seriesWithoutNext, verdict.seriesWithMore, verdict.unpublished, duplicates, fault.readyAfter,
                firstNotification, Duration.between(loadEnd, Instant.now()));
        progress.accept(name + ": " + row);
        return row;
    }

    /** The fault of one round, beside its load: SIGKILL, a pause, the restart, until the part is ready again. */
    private final class Fault implements Runnable {
        final String name;
        final ClusterTopology.Part part;
        volatile Instant restarted;
        volatile Duration readyAfter;
        volatile Exception failure;

        Fault(String name, ClusterTopology.Part part) {
            this.name = name;
            this.part = part;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(settings.killAfter().toMillis());
                progress.accept(name + ": SIGKILL");
                part.kill().run();
                Thread.sleep(settings.down().toMillis());
                restarted = Instant.now();
                part.restart().run();
                part.awaitReady().run();
                readyAfter = Duration.between(restarted, Instant.now());
                progress.accept(name + ": restarted, ready after " + readyAfter.toMillis() + " ms");
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** The load of one round: one user's requests, counted by how the API answered. */
    private final class Load {
        final String token;
        final AtomicInteger operations = new AtomicInteger();
        /** 503 with Retry-After: the API could not reach the database and changed nothing. */
        final AtomicInteger retryLater = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        /** An answer other than success or 503 to the load's own valid requests: the driver or the API is wrong. */
        final java.util.concurrent.atomic.AtomicReference<RuntimeException> unexpected =
                new java.util.concurrent.atomic.AtomicReference<>();

        Load(String token) {
            this.token = token;
        }

        void operation(int n) {
            operations.incrementAndGet();
            try {
                Instant at = Instant.now().plus(settings.reminderLead()).truncatedTo(ChronoUnit.MILLIS);
                switch (n % 5) {
                    case 0 -> create("{\"title\":\"remind " + n + "\",\"reminders\":[{\"at\":\"" + at + "\"}]}");
                    case 1 -> {
                        JsonNode task = create("{\"title\":\"move " + n + "\",\"reminders\":[{\"at\":\"" + at + "\"}]}");
                        if (task != null) {
                            String reminder = task.path("reminders").get(0).path("id").asText();
                            call("PATCH", "/api/v1/tasks/" + task.path("id").asText(), "application/merge-patch+json",
                                    "{\"reminders\":[{\"id\":\"" + reminder + "\",\"at\":\"" + at.plusSeconds(3) + "\"}]}");
                        }
                    }
                    case 2 -> {
                        JsonNode task = create("{\"title\":\"complete " + n + "\",\"reminders\":[{\"at\":\"" + at + "\"}]}");
                        if (task != null) {
                            call("POST", "/api/v1/tasks/" + task.path("id").asText() + "/complete", null, null);
                        }
                    }
                    case 3 -> {
                        JsonNode task = create("{\"title\":\"delete " + n + "\",\"reminders\":[{\"at\":\"" + at + "\"}]}");
                        if (task != null) {
                            call("DELETE", "/api/v1/tasks/" + task.path("id").asText(), null, null);
                        }
                    }
                    default -> {
                        JsonNode task = create("{\"title\":\"series " + n + "\",\"dueAt\":\"2027-03-01T08:00:00Z\","
                                + "\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}");
                        if (task != null) {
                            call("POST", "/api/v1/tasks/" + task.path("id").asText() + "/complete", null, null);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                unexpected.compareAndSet(null, e); // an executor would drop it unseen
            }
        }

        private JsonNode create(String body) throws InterruptedException {
            HttpResponse<String> created = call("POST", "/api/v1/tasks", "application/json", body);
            if (created == null || created.statusCode() != 201) {
                return null;
            }
            try {
                return JSON.readTree(created.body());
            } catch (IOException e) {
                throw new IllegalStateException("a 201 that is not JSON: " + created.body(), e);
            }
        }

        /** The answer, or null when the API could not be reached (counted as unavailable). */
        private HttpResponse<String> call(String method, String path, String contentType, String body)
                throws InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(topology.app("task-api").url(path)))
                    .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
                    retryLater.incrementAndGet();
                } else if (response.statusCode() >= 400) {
                    // a 500 is a bug whatever part is down, as is a 4xx to the load's valid requests
                    throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return response;
            } catch (IOException e) {
                unavailable.incrementAndGet();
                return null;
            }
        }
    }

    /** What the database says of one user's effects now. */
    private record Verdict(int due, int notified, int lost, int wrong, int seriesCompleted, int seriesWithoutNext,
                           int seriesWithMore, long unpublished) {
        boolean complete() {
            return lost == 0 && seriesWithoutNext == 0 && unpublished == 0;
        }
    }

    private Verdict judge(String user) throws SQLException {
        try (Connection c = topology.connectDatabase()) {
            // reminders of the user's pending tasks whose time has passed (with a second's slack for the job)
            Set<String> due = new HashSet<>();
            Set<String> live = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT r.id, r.remind_at, r.remind_at < now() - interval "
                    + "'2 seconds' FROM reminders r JOIN tasks t ON t.id = r.task_id WHERE t.user_id = ? AND t.status "
                    + "<> 'completed'")) {
                q.setString(1, user);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1) + "@" + rs.getTimestamp(2).toInstant();
                        live.add(key);
                        if (rs.getBoolean(3)) {
                            due.add(key);
                        }
                    }
                }
            }
            int notified = 0;
            int wrong = 0;
            Set<String> seen = new HashSet<>();
            // a notification for no live reminder is wrong unless it came before the task's first change (the API's
            // answer to a change may come late while a part is down): then it fired while it was still due
            try (PreparedStatement q = c.prepareStatement("SELECT n.reminder_id, n.remind_at, n.created_at < ("
                    + "SELECT min(o.created_at) FROM outbox o WHERE o.aggregate_id = n.task_id::text AND o.type <> "
                    + "'com.todo.task.created') FROM notifications n WHERE n.user_id = ?")) {
                q.setString(1, user);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1) + "@" + rs.getTimestamp(2).toInstant();
                        if (!seen.add(key)) {
                            wrong++; // twice
                        } else if (due.contains(key)) {
                            notified++;
                        } else if (!live.contains(key) && !rs.getBoolean(3)) {
                            wrong++; // deleted, completed or moved before its time
                        }
                    }
                }
            }
            int lost = (int) due.stream().filter(k -> !seen.contains(k)).count();
            int completed = 0;
            int withoutNext = 0;
            int withMore = 0;
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FILTER (WHERE status = 'completed'), count(*)"
                    + " FROM tasks WHERE user_id = ? AND recurrence_rule IS NOT NULL GROUP BY coalesce(series_id, id)")) {
                q.setString(1, user);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        int done = rs.getInt(1);
                        int all = rs.getInt(2);
                        completed += done;
                        if (all < done + 1) {
                            withoutNext++;
                        } else if (all > done + 1) {
                            withMore++;
                        }
                    }
                }
            }
            long unpublished;
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                unpublished = rs.getLong(1);
            }
            return new Verdict(due.size(), notified, lost, wrong, completed, withoutNext, withMore, unpublished);
        }
    }

    /** From the restart to the first notification of this round recorded after it. */
    private Duration firstNotificationAfter(String user, Instant restarted) throws SQLException {
        try (Connection c = topology.connectDatabase();
             PreparedStatement q = c.prepareStatement(
                     "SELECT min(created_at) FROM notifications WHERE user_id = ? AND created_at >= ?")) {
            q.setString(1, user);
            q.setTimestamp(2, java.sql.Timestamp.from(restarted));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1) == null ? null
                        : Duration.between(restarted, rs.getTimestamp(1).toInstant());
            }
        }
    }

    /**
     * Events of this round published more than once (the same CloudEvent id twice on a topic): what the functions'
     * inboxes and watermarks had to absorb besides the broker's own redeliveries.
     */
    private int duplicatesOnTopics(String user) {
        String mark = "\"userId\":\"" + user + "\"";
        int duplicates = 0;
        for (String topic : List.of("task-events", "reminder-events", "recurring-events")) {
            Map<String, Integer> ids = new HashMap<>();
            for (var record : topology.kafka().records(topic)) {
                if (record.value() != null && record.value().contains(mark)) {
                    try {
                        ids.merge(JSON.readTree(record.value()).path("id").asText(), 1, Integer::sum);
                    } catch (IOException notJson) {
                        // not a CloudEvent of ours: not counted
                    }
                }
            }
            duplicates += ids.values().stream().mapToInt(v -> v - 1).sum();
        }
        return duplicates;
    }

    /** The rows as docs/reliability.md's table. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| part killed | operations | 503 retry later | unreachable | reminders due | notified | "
                + "lost | wrong | series completed | without next | more than one next | outbox left | duplicates on "
                + "topics | ready after restart | first notification after restart | settled after load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |%n",
                    r.part(), r.operations(), r.retryLater(), r.unavailable(), r.remindersDue(), r.notified(), r.lost(),
                    r.wrong(), r.seriesCompleted(), r.seriesWithoutNext(), r.seriesWithMore(), r.unpublished(),
                    r.duplicatesOnTopics(), seconds(r.readyAfter()), seconds(r.firstNotificationAfter()),
                    seconds(r.settledAfter())));
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return d == null ? "—" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
