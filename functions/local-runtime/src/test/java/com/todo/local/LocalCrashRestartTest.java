package com.todo.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.CrashPoints;
import com.todo.events.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL at each point of the event path, then a restart: nothing is lost and nothing duplicated (architecture D2,
 * D5, D8). Local mode runs in a child JVM that halts at the named crash point (as SIGKILL would) or is killed; the
 * test then starts it again on the same database and checks, through the public API, that the reminder fires once.
 */
class LocalCrashRestartTest {

    private static final String SECRET = "crash-secret-crash-secret-crash-secret-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    private final String database = EmbeddedDatabase.shared().newDatabase();
    private final int port = LocalProcess.freePort();
    private final String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void afterATaskCommitBeforeItsPublish() throws Exception {
        crashAndRecover("after-commit-before-publish", 15);
    }

    @Test
    void duringARelayPublish() throws Exception {
        crashAndRecover("relay-after-publish", 15);
    }

    @Test
    void afterAJobFiredBeforeItsEventWasPublished() throws Exception {
        crashAndRecover("job-fired-before-publish", 10);
    }

    @Test
    void afterAHandlersEffectBeforeItsAcknowledgement() throws Exception {
        crashAndRecover("handled-before-ack", 15);
    }

    @Test
    void remindersThatComeDueWhileTheProcessIsDownFireOnceAtStart() throws Exception {
        Process first = start(null);
        Instant remindAt = createTaskWithReminder(10);
        awaitTrue(this::jobsScheduled, Duration.ofSeconds(15), "the reminder scheduled");
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), remindAt).toMillis() + 2000));
        Process second = start(null);
        try {
            assertNotifiedOnce(remindAt);
        } finally {
            second.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private void crashAndRecover(String point, int reminderInSeconds) throws Exception {
        Process crashing = start(point);
        Instant remindAt = Instant.now().plusSeconds(reminderInSeconds).truncatedTo(ChronoUnit.SECONDS);
        try {
            createTaskWithReminder(remindAt);
        } catch (IOException e) {
            // the crash came before the answer: the task was committed (the point is after the commit)
        }
        assertTrue(crashing.waitFor(reminderInSeconds + 30, TimeUnit.SECONDS), "the process reached " + point);
        assertEquals(137, crashing.exitValue(), "halted at " + point);
        Process restarted = start(null);
        try {
            assertNotifiedOnce(remindAt);
        } finally {
            restarted.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private void assertNotifiedOnce(Instant remindAt) throws Exception {
        awaitTrue(() -> notifications().size() >= 1, Duration.ofSeconds(90), "the notification");
        Thread.sleep(2000);
        List<JsonNode> notifications = notifications();
        assertEquals(1, notifications.size(), notifications::toString);
        assertEquals(remindAt, Instant.parse(notifications.get(0).get("remindAt").asText()));
        assertEquals(1, tasks().size(), "one task");
    }

    // ---- the child process ----

    private Process start(String crashAt) throws Exception {
        List<String> flags = new ArrayList<>(List.of("-Dtodo.outbox.retry-interval=1s"));
        if (crashAt != null) {
            flags.add("-D" + CrashPoints.PROPERTY + "=" + crashAt);
        }
        return LocalProcess.start(flags, java.util.Map.of("TODO_DATA_DIR", dataDir.toString(), "JDBC_URL", database,
                "JDBC_USER", EmbeddedDatabase.USER, "TODO_JWT_SECRET", SECRET), port, "/health",
                dataDir.resolve("local.log"));
    }

    // ---- the public API ----

    private Instant createTaskWithReminder(int inSeconds) throws Exception {
        return createTaskWithReminder(Instant.now().plusSeconds(inSeconds).truncatedTo(ChronoUnit.SECONDS));
    }

    private Instant createTaskWithReminder(Instant at) throws Exception {
        send("POST", "/api/v1/tasks", "{\"title\": \"Crash test\", \"reminders\": [{\"at\": \"" + at + "\"}]}");
        return at;
    }

    /** The reminder's job exists once task-created handled the event (local mode keeps jobs in the database). */
    private boolean jobsScheduled() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(database, EmbeddedDatabase.USER, "");
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM local_jobs WHERE name LIKE 'reminder-%'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private List<JsonNode> notifications() throws Exception {
        return items(send("GET", "/api/v1/notifications", null));
    }

    private List<JsonNode> tasks() throws Exception {
        return items(send("GET", "/api/v1/tasks", null));
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.sign(user, SECRET))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response::body);
        return EventJson.MAPPER.readTree(response.body());
    }


    private interface Probe {
        boolean check() throws Exception;
    }

    private static void awaitTrue(Probe probe, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (probe.check()) {
                    return;
                }
            } catch (IOException e) {
                // the process may be restarting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
