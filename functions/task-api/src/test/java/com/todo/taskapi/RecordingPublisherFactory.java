package com.todo.taskapi;

import com.todo.events.EventPublisher;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** API tests that are not about publishing record what the relay publishes instead of calling a sidecar. */
@Factory
class RecordingPublisherFactory {

    @Singleton
    @Requires(property = "todo.events.publisher", value = "recording")
    EventPublisher recording() {
        return new RecordingEventPublisher();
    }
}
