package com.todo.local;

import com.todo.function.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first local run: health, a token from scripts/dev-token.sh, and data that survives a restart. */
class LocalSystemTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void healthTokenWalkthroughAndDataSurvivesARestart() throws Exception {
        String taskPath;
        String secret;
        try (LocalSystem system = LocalSystem.start(dataDir, 0, null, null, null, null)) {
            assertEquals(200, send(system, "GET", "/health", null, null).statusCode());
            Path secretFile = dataDir.resolve(LocalSystem.SECRET_FILE);
            secret = Files.readString(secretFile);
            assertTrue(secret.length() >= 32);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));

            String token = devToken("alice");
            HttpResponse<String> created = send(system, "POST", "/api/v1/tasks",
                    "{\"title\": \"Survive a restart\", \"dueAt\": \"2026-12-24T18:00:00+01:00\"}", token);
            assertEquals(201, created.statusCode(), created.body());
            taskPath = created.headers().firstValue("Location").orElseThrow();
            String taskId = taskPath.substring(taskPath.lastIndexOf('/') + 1);
            StateStore state = system.bean(StateStore.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (state.get("task-" + taskId).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(state.get("task-" + taskId).isPresent(),
                    "the committed event went through the local broker and the gateway to task-created");
            assertEquals(401, send(system, "GET", taskPath, null, null).statusCode());
        }
        try (LocalSystem system = LocalSystem.start(dataDir, 0, null, null, null, null)) {
            assertEquals(secret, Files.readString(dataDir.resolve(LocalSystem.SECRET_FILE)), "the secret is kept");
            HttpResponse<String> task = send(system, "GET", taskPath, null, devToken("alice"));
            assertEquals(200, task.statusCode(), task.body());
            assertTrue(task.body().contains("\"title\":\"Survive a restart\""), task.body());
            assertTrue(task.body().contains("\"dueAt\":\"2026-12-24T17:00:00Z\""), task.body());
            assertEquals(404, send(system, "GET", taskPath, null, devToken("bob")).statusCode());
        }
    }

    @Test
    void theOtherDeployablesRoutesNeedTheAppTokenAndTheUserApiAUsersToken() throws Exception {
        try (LocalSystem system = LocalSystem.start(dataDir, 0, null, null, null, null)) {
            String appToken = system.bean(io.micronaut.context.env.Environment.class)
                    .getRequiredProperty("todo.app-api-token", String.class);
            for (String path : java.util.List.of("/task-created", "/task-created/", "/reminder-due",
                    "/forward/task-deleted", "/job/reminder-x", "/reminders/sweep")) {
                assertEquals(401, send(system, "POST", path, "{}", null).statusCode(), path);
            }
            assertEquals(401, send(system, "PUT", "/schedules/reminder-x", "{}", null).statusCode());
            // with the app token and no user token, the JWT rules let it through to the function, which judges it
            HttpResponse<String> poison = sendWithAppToken(system, "/task-created", appToken);
            assertEquals(200, poison.statusCode(), poison.body());
            assertTrue(poison.body().contains("DROP"), poison.body());
            // the app token proves nothing to the user API
            assertEquals(401, sendWithAppToken(system, "/api/v1/tasks", appToken).statusCode());
        }
    }

    private static HttpResponse<String> sendWithAppToken(LocalSystem system, String path, String appToken)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + system.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("dapr-api-token", appToken).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String devToken(String user) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("scripts/dev-token.sh").toString(), user);
        pb.environment().put("TODO_DATA_DIR", dataDir.toString());
        pb.environment().remove("TODO_JWT_SECRET");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = pb.start();
        String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        return token;
    }

    private static HttpResponse<String> send(LocalSystem system, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + system.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
