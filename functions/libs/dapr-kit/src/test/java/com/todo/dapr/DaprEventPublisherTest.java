package com.todo.dapr;

import com.sun.net.httpserver.HttpServer;
import com.todo.fake.FakeDaprSidecar;
import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaprEventPublisherTest {

    static EventPublisher.OutgoingEvent event(String id) {
        byte[] structured = StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_DELETED, id, "/task-api",
                "task-1", Instant.parse("2026-01-01T00:00:00Z"), "{}".getBytes(StandardCharsets.UTF_8)));
        return new EventPublisher.OutgoingEvent(id, EventType.TASK_DELETED.type(), EventType.TASK_DELETED.topic(),
                "task-1", structured);
    }

    @Test
    void publishesOurCloudEventUnchangedWithThePartitionKey() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            EventPublisher publisher = context.getBean(EventPublisher.class);
            EventPublisher.OutgoingEvent event = event("e-1");
            publisher.publish(event);
            FakeDaprSidecar.Published seen = sidecar.published().get(0);
            assertEquals(EventCatalog.PUBSUB_NAME, seen.pubsubName());
            assertEquals("task-events", seen.topic());
            assertEquals("application/cloudevents+json", seen.dataContentType());
            assertEquals(Map.of("partitionKey", "task-1"), seen.metadata());
            assertArrayEquals(event.structured(), seen.data());
        }
    }

    /** daprd answers 500 when the broker fails the publish, 404 or 403 when the pub/sub or topic is refused. */
    @Test
    void aBrokerFailureIsTransientAndARefusalIsNot() throws Exception {
        AtomicInteger status = new AtomicInteger(500);
        HttpServer sidecar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sidecar.createContext("/v1.0/publish/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        sidecar.start();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.http-port",
                sidecar.getAddress().getPort()))) {
            EventPublisher publisher = context.getBean(EventPublisher.class);
            assertThrows(EventPublisher.TransientPublishException.class, () -> publisher.publish(event("e-3")));
            status.set(404);
            RuntimeException refused = assertThrows(RuntimeException.class, () -> publisher.publish(event("e-3")));
            assertFalse(refused instanceof EventPublisher.TransientPublishException, refused.toString());
            assertTrue(refused.getMessage().contains("404"), refused.getMessage());
        } finally {
            sidecar.stop(0);
        }
    }

    @Test
    void aSidecarThatIsDownIsATransientFailure() {
        FakeDaprSidecar down = new FakeDaprSidecar();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(), "todo.dapr.http-port", down.httpPort(),
                "todo.dapr.timeout", "2s"))) {
            EventPublisher publisher = context.getBean(EventPublisher.class);
            assertThrows(EventPublisher.TransientPublishException.class, () -> publisher.publish(event("e-2")));
        }
    }
}
