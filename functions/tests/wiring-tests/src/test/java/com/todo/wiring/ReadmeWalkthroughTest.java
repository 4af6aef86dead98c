package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's walkthrough, run unedited by bash against local mode's runnable jar, started as
 * {@code scripts/run-local.sh} starts it ({@code java -jar}, from the repository root, configured by {@code PORT} and
 * {@code TODO_DATA_DIR} alone) on a port that is not 8080. What a newcomer copies must work as written.
 */
class ReadmeWalkthroughTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Repo.path("functions/local-runtime/target/local-runtime-0.1.0-SNAPSHOT-all.jar");

    @Test
    void theReadmeWalkthroughRunsUneditedAgainstTheShippedLocalJar(@TempDir Path data) throws Exception {
        assertTrue(Files.exists(JAR), "not packaged: " + JAR + " (run mvn verify, which packages before this test)");
        String walkthrough = walkthrough(Repo.text(Repo.path("README.md")));
        int port = ShippedJar.freePort();
        Map<String, String> environment = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", data.toString(), "PORT", String.valueOf(port), "TODO_DATA_DIR", data.resolve("local").toString());
        Path log = data.resolve("local-mode.log");
        Process local = start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString()), environment, log);
        try {
            awaitReady(local, port, log);
            Path out = data.resolve("walkthrough.out");
            Process bash = start(List.of("bash", "-c", walkthrough), environment, out);
            if (!bash.waitFor(90, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
                fail("the walkthrough did not finish within 90 s:\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            String context = "walkthrough output:\n" + output + "\nlocal mode's log:\n" + Files.readString(log);
            assertEquals(0, bash.exitValue(), context);
            assertFalse(output.contains("curl: ("), "a curl call failed: " + context);

            List<JsonNode> answers = new ArrayList<>();
            for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
                answers.add(JSON.readTree(line)); // each answer on its own line, as the walkthrough prints them
            }
            JsonNode created = answers.get(0);
            assertEquals("Submit tax return", created.path("title").asText(), "the first create answers: " + context);
            String id = created.path("id").asText();
            assertTrue(answers.stream().anyMatch(a -> a.path("id").asText().equals(id)
                    && a.path("priority").asText().equals("medium") && a.path("tags").isEmpty()),
                    "the patch reached the captured id: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("id").asText().equals(id)
                    && a.path("status").asText().equals("completed")), "the task was completed: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("title").asText().equals("Standup")
                    && a.path("recurrence").path("rule").asText().equals("FREQ=WEEKLY;BYDAY=MO,WE")),
                    "the recurring task was created: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("timeZone").asText().equals("Europe/Berlin")
                    && a.path("items").size() == 3), "its next three occurrences were previewed: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("title").asText().equals("Standup")
                    && a.path("status").asText().equals("skipped")), "its first occurrence was skipped: " + context);
            assertEquals(2, answers.stream().filter(a -> a.path("items").size() == 1
                    && a.path("items").get(0).path("id").asText().equals(id)).count(),
                    "both filtered lists find the task: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("items").size() == 1
                    && a.path("items").get(0).path("title").asText().equals("Stretch")),
                    "the reminder a few seconds ahead became a notification: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("status").asInt() == 422),
                    "bad input is a 422 problem: " + context);
            assertTrue(output.contains("HTTP/1.1 204"), "the delete answers 204: " + context);
            List<JsonNode> rent = answers.stream().filter(a -> a.path("title").asText().equals("Pay rent")).toList();
            assertEquals(2, rent.size(), "both tries answered: " + context);
            assertEquals(rent.get(0), rent.get(1), "the retry got the first answer: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("items").size() == 1
                    && a.path("items").get(0).equals(rent.get(0))), "one task was created: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("id").asText().equals(id)
                    && a.path("title").asText().equals("Submit tax return (phone)")), "the first edit won: " + context);
            assertTrue(answers.stream().anyMatch(a -> a.path("status").asInt() == 412),
                    "the second edit from the same ETag is a 412: " + context);
            assertFalse(answers.stream().anyMatch(a -> a.path("title").asText().equals("Submit tax return (laptop)")),
                    "and was not applied: " + context);
            JsonNode deadLetters = answers.get(answers.size() - 1);
            assertTrue(deadLetters.path("items").isArray() && deadLetters.path("total").asLong() == 0,
                    "the admin token lists the (empty) dead-letter inbox: " + context);

            String logged = Files.readString(log);
            assertFalse(Pattern.compile(" (WARN|ERROR) ").matcher(logged).find(),
                    "local mode logs no warning or error on the walkthrough: " + logged);
        } finally {
            local.destroy();
            if (!local.waitFor(30, TimeUnit.SECONDS)) {
                local.destroyForcibly();
            }
        }
    }

    /** The walkthrough's shell block: the first {@code ```bash} fence after its heading. */
    static String walkthrough(String readme) {
        int section = readme.indexOf("\n## Walkthrough\n");
        assertTrue(section >= 0, "README has a Walkthrough section");
        int start = readme.indexOf("```bash\n", section);
        int end = readme.indexOf("\n```\n", start);
        assertTrue(start > 0 && end > start, "the walkthrough has a bash block");
        return readme.substring(start + "```bash\n".length(), end + 1);
    }

    private static Process start(List<String> command, Map<String, String> environment, Path output)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.ROOT.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        return pb.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void awaitReady(Process local, int port, Path log) throws Exception {
        URI readiness = URI.create("http://localhost:" + port + "/health/readiness");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!local.isAlive()) {
                fail("local mode exited with " + local.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (ShippedJar.HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("local mode was not ready within 120 s:\n" + Files.readString(log));
    }
}
