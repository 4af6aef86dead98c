package com.todo.wiring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runnable jar of every deployable carries what the shared code needs at run time (a test-scoped declaration
 * of a library once left task-api's jar without the CloudEvents JSON format, so it could not write a single event).
 * Runs after the deployables are packaged, as in {@code mvn verify}.
 */
class DeployableJarsTest {

    private static final List<String> NEEDED = List.of(
            "io/cloudevents/jackson/JsonFormat.class",
            "io/cloudevents/http/HttpMessageFactory.class",
            "com/networknt/schema/JsonSchemaFactory.class",
            "com/fasterxml/jackson/datatype/jsr310/JavaTimeModule.class",
            "schemas/com.todo.task.created.json");
    /** Startup work no function should pay for on a cold start (see docs/benchmarks.md, "Cold start and memory"). */
    private static final String XML_LOGGING = "logback.xml";
    private static final String METRICS = "io/micronaut/configuration/metrics/";

    @Test
    void everyRunnableJarHasTheEventLibraries() throws IOException {
        forEachRunnableJar((deployable, file) -> {
            for (String entry : NEEDED) {
                assertNotNull(file.getEntry(entry), deployable + " lacks " + entry);
            }
            assertNotNull(file.getManifest().getMainAttributes().getValue("Main-Class"), deployable);
            assertNotNull(file.getEntry("META-INF/services/ch.qos.logback.classic.spi.Configurator"), deployable);
        });
    }

    @Test
    void logsAreSetUpInCodeAndOnlyTheApiStartsMetrics() throws IOException {
        forEachRunnableJar((deployable, file) -> {
            assertNull(file.getEntry(XML_LOGGING), deployable + ": a logback.xml overrides ConsoleLogging");
            boolean metrics = file.stream().anyMatch(e -> e.getName().startsWith(METRICS));
            assertEquals(deployable.equals("task-api"), metrics, deployable + " starts Micronaut metrics: " + metrics);
        });
    }

    private interface JarCheck {
        void check(String deployable, JarFile file) throws IOException;
    }

    private static void forEachRunnableJar(JarCheck check) throws IOException {
        for (String deployable : Repo.deployables()) {
            Path jar = Repo.path("functions/" + deployable + "/target/" + deployable + "-0.1.0-SNAPSHOT-all.jar");
            assumeTrue(Files.exists(jar), "not packaged yet (run mvn verify): " + jar);
            try (JarFile file = new JarFile(jar.toFile())) {
                check.check(deployable, file);
            }
        }
    }
}
