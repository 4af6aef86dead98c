package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port()))) {
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

    @Test
    void aSidecarThatIsDownIsATransientFailure() {
        FakeDaprSidecar down = new FakeDaprSidecar();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(),
                "todo.dapr.timeout", "2s"))) {
            EventPublisher publisher = context.getBean(EventPublisher.class);
            assertThrows(EventPublisher.TransientPublishException.class, () -> publisher.publish(event("e-2")));
        }
    }
}
