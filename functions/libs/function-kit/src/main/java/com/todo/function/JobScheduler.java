package com.todo.function;

import java.time.Instant;

/**
 * Durable timers that call back {@code POST /job/{name}} with the data they were given: Dapr Jobs in the cluster,
 * the local job timer in local mode. Delivery is at least once.
 */
public interface JobScheduler {

    /** Creates or replaces the one-shot job {@code name}. */
    void scheduleOnce(String name, Instant dueTime, byte[] data);

    /** Creates or replaces a recurring job; {@code schedule} is e.g. {@code @every 1m}. */
    void scheduleEvery(String name, String schedule, byte[] data);

    /** Removes the job; removing an absent job is not an error. */
    void delete(String name);

    /** The scheduler (sidecar) could not be reached or answered with a failure that may pass. */
    class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The scheduler refused the job itself (an invalid schedule or due time): retrying cannot help. */
    class RejectedException extends RuntimeException {
        public RejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
