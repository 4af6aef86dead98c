package com.todo.dapr;

import com.google.protobuf.ByteString;
import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.events.StructuredEvents;
import io.dapr.v1.DaprPubsubProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

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
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.CANCELLED);

    private final DaprSidecar sidecar;

    public DaprEventPublisher(DaprSidecar sidecar) {
        this.sidecar = sidecar;
    }

    @Override
    public void publish(OutgoingEvent event) {
        DaprPubsubProtos.PublishEventRequest request = DaprPubsubProtos.PublishEventRequest.newBuilder()
                .setPubsubName(EventCatalog.PUBSUB_NAME)
                .setTopic(event.topic())
                .setData(ByteString.copyFrom(event.structured()))
                .setDataContentType(StructuredEvents.CONTENT_TYPE)
                .putMetadata("partitionKey", event.partitionKey())
                .build();
        try {
            sidecar.call().publishEvent(request);
        } catch (StatusRuntimeException e) {
            if (TRANSIENT.contains(e.getStatus().getCode())) {
                throw new TransientPublishException("Dapr publish of " + event.id() + " failed: " + e.getStatus().getCode(), e);
            }
            throw e;
        }
    }
}
