package com.todo.platform;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's dapr-components/ as the real daprd reads them: the Configuration as deploy.sh renders it, and the
 * Kafka component against a broker with the cluster's SASL/SCRAM listener. The variants before the fixes are run
 * too, to show what daprd does with them (it exits at start).
 */
class RepositoryYamlOnRealDaprdTest {

    private static Platform platform;
    private static KafkaBroker kafka;
    @TempDir
    static Path dir;

    @BeforeAll
    static void broker() {
        platform = RealPlatform.required();
        kafka = KafkaBroker.start(platform, dir.resolve("kafka"), dir.resolve("logs/kafka.log"));
        kafka.createTopics(ClusterTopology.topics(platform.repository().resolve("dapr-components/topics.md")));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Path renderedConfiguration(String namespace) throws Exception {
        Process deploy = new ProcessBuilder("bash", "scripts/deploy.sh", "--dry-run", "--registry", "r",
                "--namespace", namespace).directory(platform.repository().toFile()).redirectErrorStream(true).start();
        String out = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(deploy.waitFor(30, TimeUnit.SECONDS) && deploy.exitValue() == 0, out);
        return Path.of(out.lines().filter(l -> l.startsWith("kubectl apply") && l.contains("configuration.yaml"))
                .findFirst().orElseThrow().replaceAll(".* -f (\\S+configuration\\.yaml).*", "$1"));
    }

    private static Path emptyResources(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void daprdStartsWithTheConfigurationDeployRenders() throws Exception {
        Path config = renderedConfiguration("prod");
        assertTrue(Files.readString(config).contains("namespace: prod"));
        try (Daprd daprd = Daprd.start(platform, Daprd.Options.of("task-created", ChildProcess.freePort(),
                List.of(emptyResources("none-1"))).config(config), dir.resolve("logs/daprd-config.log"))) {
            assertTrue(daprd.process().isAlive());
        }
    }

    @Test
    void aPolicyWithoutNamespaceStopsDaprdAtStart() throws Exception {
        Path config = dir.resolve("configuration-without-namespace.yaml");
        Files.writeString(config, Files.readString(renderedConfiguration("todo")).replaceAll("(?m)^\\s+namespace: todo\\n", ""));
        Daprd daprd = Daprd.launch(platform, Daprd.Options.of("task-created", ChildProcess.freePort(),
                List.of(emptyResources("none-2"))).config(config), dir.resolve("logs/daprd-no-namespace.log"));
        try (daprd) {
            assertNotEquals(0, daprd.process().awaitExit(Duration.ofSeconds(30)));
            assertTrue(daprd.process().logText().contains("missing namespace"), daprd.process().tail(10));
        }
    }

    @Test
    void theKafkaComponentPublishesOurCloudEventThroughTheSaslListener() throws Exception {
        LocalOverlay overlay = LocalOverlay.write(platform.repository(), dir.resolve("overlay-1"),
                "host=127.0.0.1 port=1 user=nobody dbname=none sslmode=disable", kafka);
        try (Daprd daprd = Daprd.start(platform, Daprd.Options.of("task-api", ChildProcess.freePort(),
                List.of(overlay.components())).config(overlay.configuration()), dir.resolve("logs/daprd-kafka.log"))) {
            String id = UUID.randomUUID().toString();
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"com.todo.task.created\","
                    + "\"source\":\"/todo/task-api\",\"datacontenttype\":\"application/json\",\"data\":{\"taskId\":\"t1\"}}";
            HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    daprd.httpUrl("/v1.0/publish/taskpubsub/task-events?metadata.partitionKey=t1")))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, published.statusCode(), published.body());
            ConsumerRecord<String, String> record = kafka.awaitRecord("task-events",
                    r -> r.value().contains("\"id\":\"" + id + "\""), Duration.ofSeconds(30));
            assertEquals("t1", record.key(), "the partition key is the Kafka key");
            assertTrue(record.value().contains("\"type\":\"com.todo.task.created\""), record.value());
            assertTrue(record.value().contains("\"source\":\"/todo/task-api\""), record.value());
        }
    }

    @Test
    void withoutDisableTlsTheKafkaComponentStopsDaprd() throws Exception {
        LocalOverlay overlay = LocalOverlay.write(platform.repository(), dir.resolve("overlay-2"),
                "host=127.0.0.1 port=1 user=nobody dbname=none sslmode=disable", kafka);
        Path pubsub = overlay.components().resolve("pubsub-kafka.yaml");
        Files.writeString(pubsub, Files.readString(pubsub).replace("    - name: disableTls\n      value: \"true\"\n", ""));
        Daprd daprd = Daprd.launch(platform, Daprd.Options.of("task-api", ChildProcess.freePort(),
                List.of(overlay.components())).config(overlay.configuration()), dir.resolve("logs/daprd-tls.log"));
        try (daprd) {
            assertNotEquals(0, daprd.process().awaitExit(Duration.ofSeconds(90)));
            assertTrue(daprd.process().logText().contains("initialization error occurred for taskpubsub"),
                    daprd.process().tail(10));
        }
    }
}
