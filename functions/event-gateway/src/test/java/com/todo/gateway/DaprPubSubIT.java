package com.todo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.todo.events.EventCatalog;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import io.dapr.client.domain.PublishEventRequest;
import io.dapr.config.Properties;
import io.dapr.testcontainers.DaprContainer;
import io.dapr.testcontainers.DaprContainerConstants;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * publish → daprd → Kafka → daprd → gateway → function, with a real daprd and Kafka in containers and the project's
 * own subscription files and pubsub component (its secrets replaced by plain values for an unauthenticated test
 * broker). Runs only where Docker exists; skipped otherwise.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class DaprPubSubIT {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Network NETWORK = Network.newNetwork();
    private static final int GATEWAY_PORT = freePort();

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1")
            .withNetwork(NETWORK).withNetworkAliases("kafka").withListener("kafka:19092");

    @Container
    private static final DaprContainer DAPR = daprd();

    private static DaprContainer daprd() {
        Testcontainers.exposeHostPorts(GATEWAY_PORT);
        DaprContainer dapr = new DaprContainer(DaprContainerConstants.DAPR_RUNTIME_IMAGE_TAG)
                .withAppName("event-gateway")
                .withNetwork(NETWORK)
                .withAppPort(GATEWAY_PORT)
                .withAppChannelAddress("host.testcontainers.internal")
                .withComponent(testPubsub());
        try (Stream<Path> subscriptions = Files.list(REPO.resolve("dapr-components/subscriptions"))) {
            subscriptions.forEach(file -> dapr.withCopyFileToContainer(MountableFile.forHostPath(file),
                    "/dapr-resources/" + file.getFileName()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dapr;
    }

    /** The project's taskpubsub component with the test broker instead of the secret store's. */
    private static Path testPubsub() {
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            ObjectNode component = (ObjectNode) yaml.readTree(REPO.resolve("dapr-components/components/pubsub-kafka.yaml").toFile());
            component.remove("auth");
            ArrayNode metadata = ((ObjectNode) component.get("spec")).putArray("metadata");
            JsonNode original = yaml.readTree(REPO.resolve("dapr-components/components/pubsub-kafka.yaml").toFile())
                    .path("spec").path("metadata");
            for (JsonNode m : original) {
                String name = m.path("name").asText();
                if (name.startsWith("sasl") || name.equals("authType") || name.equals("brokers")) {
                    continue;
                }
                metadata.add(m);
            }
            metadata.addObject().put("name", "brokers").put("value", "kafka:19092");
            metadata.addObject().put("name", "authType").put("value", "none");
            Path file = Files.createTempFile("taskpubsub", ".yaml");
            yaml.writeValue(file.toFile(), component);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPublishedTaskEventReachesTheFunctionThroughDaprdAndTheGateway() throws Exception {
        try (EmbeddedServer target = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "test.target", "true", "todo.gateway.register-maintenance", "false"));
             EmbeddedServer gateway = ApplicationContext.run(EmbeddedServer.class, Map.of(
                     "micronaut.server.port", GATEWAY_PORT,
                     "todo.gateway.register-maintenance", "false",
                     "todo.dapr.grpc-port", DAPR.getGrpcPort(),
                     "todo.gateway.functions.task-created.url", "http://localhost:" + target.getPort()));
             DaprClient client = new DaprClientBuilder()
                     .withPropertyOverride(Properties.GRPC_ENDPOINT, DAPR.getGrpcEndpoint())
                     .withPropertyOverride(Properties.HTTP_ENDPOINT, DAPR.getHttpEndpoint()).build()) {
            client.waitForSidecar(30_000).block();
            String id = UUID.randomUUID().toString();
            byte[] event = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, id, "/task-api",
                    "task-it", Instant.now(), "{\"probe\": true}".getBytes(StandardCharsets.UTF_8)));
            client.publishEvent(new PublishEventRequest(EventCatalog.PUBSUB_NAME, "task-events", event)
                    .setContentType(StructuredEvents.CONTENT_TYPE)
                    .setMetadata(Map.of("partitionKey", "task-it"))).block(Duration.ofSeconds(10));

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (TargetFunction.received("/task-created").stream().noneMatch(r -> contains(r.body(), id))
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            TargetFunction.Received seen = TargetFunction.received("/task-created").stream()
                    .filter(r -> contains(r.body(), id)).findFirst()
                    .orElseThrow(() -> new AssertionError("the event never reached the function"));
            JsonNode delivered = new ObjectMapper().readTree(seen.body());
            assertTrue(delivered.path("id").asText().equals(id), "our id, kept by daprd");
            assertTrue(delivered.path("type").asText().equals("com.todo.task.created"));
            assertTrue(delivered.path("topic").asText().equals("task-events"), "daprd's envelope fields added");
            assertArrayEquals(new ObjectMapper().readTree("{\"probe\": true}").toString().getBytes(StandardCharsets.UTF_8),
                    delivered.path("data").toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean contains(byte[] body, String id) {
        return new String(body, StandardCharsets.UTF_8).contains(id);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
