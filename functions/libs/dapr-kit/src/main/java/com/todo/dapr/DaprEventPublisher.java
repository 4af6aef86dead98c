package com.todo.dapr;

import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.StructuredEvents;
import io.dapr.client.DaprClient;
import io.dapr.client.domain.PublishEventRequest;
import io.dapr.exceptions.DaprException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Publishes through the Dapr sidecar: our complete CloudEvent with content type {@code application/cloudevents+json},
 * so daprd keeps our id, type, source, subject and data (platform contracts §1), and the task id as Kafka partition
 * key, so one task's events stay in order.
 */
@Singleton
@Requires(property = "todo.events.publisher", value = "dapr", defaultValue = "dapr")
public class DaprEventPublisher implements EventPublisher {

    /** gRPC codes after which the same publish may succeed: the sidecar or broker is down, slow or busy. */
    private static final Set<String> TRANSIENT = Set.of("UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED",
            "ABORTED", "INTERNAL", "UNKNOWN", "CANCELLED");

    private final DaprClient client;
    private final Duration timeout;

    public DaprEventPublisher(DaprClient client, @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public void publish(OutgoingEvent event) {
        PublishEventRequest request = new PublishEventRequest(EventCatalog.PUBSUB_NAME, event.topic(), event.structured())
                .setContentType(StructuredEvents.CONTENT_TYPE)
                .setMetadata(Map.of("partitionKey", event.partitionKey()));
        try {
            client.publishEvent(request).block(timeout);
        } catch (DaprException e) {
            if (TRANSIENT.contains(e.getErrorCode())) {
                throw new TransientPublishException("Dapr publish of " + event.id() + " failed: " + e.getErrorCode(), e);
            }
            throw e;
        } catch (IllegalStateException e) {
            // Mono.block timed out
            throw new TransientPublishException("Dapr publish of " + event.id() + " timed out after " + timeout, e);
        }
    }
}
