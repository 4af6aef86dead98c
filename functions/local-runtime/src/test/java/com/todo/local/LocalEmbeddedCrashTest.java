package com.todo.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode as a user runs it (LocalMain, the embedded PostgreSQL in the data folder, environment only), killed
 * with SIGKILL as a crash or the OOM killer would: the java process alone (its server lives on), the server first and
 * then java, or both under concurrent writes. Each time the next start just works and every write that got its 201
 * is there.
 */
class LocalEmbeddedCrashTest {

    private static final String SECRET = "crash-secret-crash-secret-crash-secret-02";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    private final int port = LocalProcess.freePort();
    private final String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aServerLeftRunningByAKilledProcessIsStoppedAtTheNextStart() throws Exception {
        Process first = start();
        String id = create("before the crash");
        ProcessHandle server = server().orElseThrow();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        assertTrue(server.isAlive(), "the test needs the server to outlive the killed process");
        Process second = start();
        try {
            assertFalse(server.isAlive(), "the stale server was stopped");
            assertEquals(200, get("/api/v1/tasks/" + id).statusCode());
        } finally {
            kill(second);
        }
    }

    @Test
    void aStartAfterTheServerAndThenTheProcessWereKilledJustWorks() throws Exception {
        Process first = start();
        String id = create("before the crash");
        killServer();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Process second = start();
        try {
            assertEquals(200, get("/api/v1/tasks/" + id).statusCode());
        } finally {
            kill(second);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillingEverythingUnderLoad() throws Exception {
        Process first = start();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            writers.submit(() -> {
                while (writing.get()) {
                    try {
                        acknowledged.add(create("load"));
                    } catch (Exception crashed) {
                        return null;
                    }
                }
                return null;
            });
        }
        Thread.sleep(3000);
        // everything at once, as a power cut would take it, while the writers still write
        killServer();
        first.destroyForcibly();
        writing.set(false);
        writers.shutdown();
        assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
        first.waitFor(10, TimeUnit.SECONDS);
        assertTrue(acknowledged.size() > 20, "writes under way: " + acknowledged.size());
        Process second = start();
        try {
            List<String> lost = new ArrayList<>();
            for (String id : acknowledged) {
                if (get("/api/v1/tasks/" + id).statusCode() != 200) {
                    lost.add(id);
                }
            }
            assertEquals(List.of(), lost, "acknowledged (201) but lost, of " + acknowledged.size());
        } finally {
            kill(second);
        }
    }

    // ---- the child process and its server ----

    private Process start() throws Exception {
        return LocalProcess.start(List.of(), java.util.Map.of("TODO_DATA_DIR", dataDir.toString(),
                "TODO_JWT_SECRET", SECRET), port, "/health/readiness", dataDir.resolve("local.log"));
    }

    private java.util.Optional<ProcessHandle> server() throws IOException {
        Path lock = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(lock)) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(lock).get(0).strip()));
    }

    /** SIGKILL to the server and every process of it, so nothing of it can write anything more. */
    private void killServer() throws IOException {
        ProcessHandle postmaster = server().orElseThrow(() -> new AssertionError("no server running"));
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void kill(Process process) throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (server().isPresent() && server().get().isAlive()) {
            killServer();
        }
    }

    // ---- the public API ----

    private String create(String title) throws Exception {
        HttpResponse<String> created = HTTP.send(request("/api/v1/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode task = EventJson.MAPPER.readTree(created.body());
        return task.get("id").asText();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.sign(user, SECRET));
    }
}
