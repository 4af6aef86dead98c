package com.todo.wiring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    private static final String MANAGEMENT = "io/micronaut/management/";
    private static final String AOT_LOADERS = "META-INF/services/io.micronaut.core.optim.StaticOptimizations$Loader";
    private static final String AOT_PACKAGE = "com.todo.aot";

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

    /**
     * The probes are function-kit's HealthController; micronaut-management only serves /prometheus, on task-api and on
     * the always-on gateway (the operators' metrics). The event functions, which cold-start, have neither.
     */
    @Test
    void logsAreSetUpInCodeAndOnlyTheApiAndTheGatewayStartMetricsAndManagement() throws IOException {
        forEachRunnableJar((deployable, file) -> {
            assertNull(file.getEntry(XML_LOGGING), deployable + ": a logback.xml overrides ConsoleLogging");
            boolean measured = deployable.equals("task-api") || deployable.equals("event-gateway");
            boolean metrics = file.stream().anyMatch(e -> e.getName().startsWith(METRICS));
            assertEquals(measured, metrics, deployable + " starts Micronaut metrics: " + metrics);
            boolean management = file.stream().anyMatch(e -> e.getName().startsWith(MANAGEMENT));
            assertEquals(measured, management, deployable + " has micronaut-management: " + management);
        });
    }

    /**
     * Micronaut AOT (root pom, {@code deployable-aot}) is in the runnable jar only: the thin jar goes on local mode's
     * shared classpath, where one function's build-time service list would hide the other functions' beans. Each
     * YAML file has its property source generated as Java; one the optimizer did not convert still works, but every
     * cold start parses it again.
     */
    @Test
    void onlyTheRunnableJarIsOptimizedAndItKeepsEveryConfigurationFile() throws IOException {
        forEachRunnableJar((deployable, file) -> {
            JarEntry loaders = file.getJarEntry(AOT_LOADERS);
            assertNotNull(loaders, deployable + " has no Micronaut AOT optimizations");
            String names = new String(file.getInputStream(loaders).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(names.contains(AOT_PACKAGE + ".StaticServicesLoader"), deployable + ": " + names);
            for (String yaml : configurationFiles(deployable)) {
                String source = Character.toUpperCase(yaml.charAt(0))
                        + yaml.substring(1, yaml.lastIndexOf('.')).replace('-', '_') + "StaticPropertySource.class";
                assertNotNull(file.getEntry(AOT_PACKAGE.replace('.', '/') + "/" + source), deployable + ": " + yaml
                        + " is parsed on every start (is its environment in functions/tools/aot/aot.properties possible.environments?)");
            }
            Path thin = Repo.path("functions/" + deployable + "/target/" + deployable + "-0.1.0-SNAPSHOT.jar");
            try (JarFile thinJar = new JarFile(thin.toFile())) {
                assertTrue(thinJar.stream().noneMatch(e -> e.getName().startsWith(AOT_PACKAGE.replace('.', '/'))),
                        deployable + ": the thin jar carries Micronaut AOT classes");
            }
        });
    }

    /**
     * The runnable jar has no {@code META-INF/micronaut/}: finding that folder, Micronaut opened the whole jar as a zip
     * file system at start to list it (~25 ms of a cold start). The services Micronaut keeps there are listed at build
     * time by AOT instead, so every kind of them must be in functions/tools/aot/aot.properties.
     */
    @Test
    void theRunnableJarLeavesMicronautsServiceFolderToAot() throws IOException {
        String serviceTypes = Files.readAllLines(Repo.path("functions/tools/aot/aot.properties")).stream()
                .filter(l -> l.startsWith("service.types=")).findFirst().orElseThrow();
        for (String type : List.of("io.micronaut.inject.BeanDefinitionReference", "io.micronaut.inject.BeanConfiguration",
                "io.micronaut.core.beans.BeanIntrospectionReference")) {
            assertTrue(serviceTypes.contains(type), "AOT does not list " + type);
        }
        forEachRunnableJar((deployable, file) -> assertTrue(
                file.stream().noneMatch(e -> e.getName().startsWith("META-INF/micronaut/")),
                deployable + ": the runnable jar still has META-INF/micronaut/"));
    }

    /**
     * AOT's service list keeps every service whose bean condition the running process decides (the build computes them
     * with functions/tools/aot/RuntimeConditions.java): on its own, AOT had evaluated them on the build machine and left the
     * readiness checks, the notification binding and graceful shutdown out of every jar.
     */
    @Test
    void theServiceListKeepsEveryBeanWhoseConditionIsDecidedAtStart() throws IOException {
        forEachRunnableJar((deployable, file) -> {
            String lists = file.stream().filter(e -> e.getName().startsWith("com/todo/aot/")
                            && e.getName().endsWith("Factory.class"))
                    .map(e -> read(file, e)).reduce("", String::concat);
            Path config = Repo.path("functions/" + deployable + "/target/aot/aot.properties");
            String forced = Files.readAllLines(config).stream()
                    .filter(l -> l.startsWith("serviceloading.force.include.impls=")).findFirst().orElseThrow()
                    .substring("serviceloading.force.include.impls=".length());
            List<String> expected = new java.util.ArrayList<>(List.of("com.todo.dapr.$SidecarReadiness$Definition",
                    "com.todo.function.$StartupWarmups$Definition",
                    "io.micronaut.runtime.graceful.$GracefulShutdownListener$Definition"));
            if (List.of("task-api", "reminder-due", "recurring-scheduled").contains(deployable)) {
                expected.add("com.todo.domain.$DatabaseReadiness$Definition");
            }
            if (deployable.equals("reminder-due")) {
                expected.add("com.todo.dapr.$DaprBindingChannel$Definition");
            }
            for (String service : expected) {
                assertTrue(forced.contains(service), deployable + ": " + service + " is not kept for the runtime");
            }
            for (String service : forced.split(",")) {
                assertTrue(lists.contains(service), deployable + ": AOT's service list lacks " + service);
            }
        });
    }

    private static String read(JarFile file, JarEntry entry) {
        try {
            return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> configurationFiles(String deployable) throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("functions/" + deployable + "/src/main/resources"))) {
            List<String> yaml = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith("application") && f.endsWith(".yml")).sorted().toList();
            assertFalse(yaml.isEmpty(), deployable + " has no configuration file");
            return yaml;
        }
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
