package com.todo.events;

/**
 * The port every producer publishes through: Dapr pub/sub in the cluster, the local delivery in local mode.
 * Implementations publish the complete structured CloudEvent unchanged, keyed by the partition key.
 */
public interface EventPublisher {

    /**
     * @throws TransientPublishException when publishing may succeed later (broker or sidecar unavailable, timeout)
     * @throws RuntimeException          for anything else; the caller treats it as transient too, so nothing is lost
     */
    void publish(OutgoingEvent event);

    /**
     * @param structured the complete CloudEvent as {@code application/cloudevents+json}
     */
    record OutgoingEvent(String id, String type, String topic, String partitionKey, byte[] structured) {
    }

    /** A publish that failed for a reason that may pass (the event stays pending and is retried). */
    class TransientPublishException extends RuntimeException {
        public TransientPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
