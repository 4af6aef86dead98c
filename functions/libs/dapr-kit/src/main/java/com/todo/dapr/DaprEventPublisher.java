package com.todo.dapr;

import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.StructuredEvents;
import com.todo.function.LoopbackHttp;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Publishes through the Dapr sidecar's HTTP publish API: our complete CloudEvent with content type
 * {@code application/cloudevents+json}, so daprd keeps our id, type, source, subject and data (platform contracts
 * §1), and the task id as Kafka partition key ({@code metadata.partitionKey}), so one task's events stay in order.
 */
@Singleton
@Requires(property = "todo.events.publisher", value = "dapr", defaultValue = "dapr")
public class DaprEventPublisher implements EventPublisher {

    private final DaprSidecar sidecar;

    public DaprEventPublisher(DaprSidecar sidecar) {
        this.sidecar = sidecar;
    }

    @Override
    public void publish(OutgoingEvent event) {
        String path = "publish/" + EventCatalog.PUBSUB_NAME + "/" + event.topic() + "?metadata.partitionKey="
                + URLEncoder.encode(event.partitionKey(), StandardCharsets.UTF_8);
        LoopbackHttp.Answer answer;
        try {
            answer = sidecar.call("POST", path, event.structured(), StructuredEvents.CONTENT_TYPE);
        } catch (IOException e) {
            throw new TransientPublishException("Dapr publish of " + event.id() + " failed: " + e, e);
        }
        if (answer.ok()) {
            return;
        }
        String failure = "Dapr publish of " + event.id() + " answered " + answer.status() + ": " + answer.text();
        // 5xx: the broker is down or slow, or daprd is; 429: busy. The same publish may succeed later.
        if (answer.status() >= 500 || answer.status() == 429) {
            throw new TransientPublishException(failure, null);
        }
        throw new IllegalStateException(failure); // refused as asked (no such pub/sub or topic, not allowed)
    }
}
