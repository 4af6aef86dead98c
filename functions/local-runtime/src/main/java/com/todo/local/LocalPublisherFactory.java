package com.todo.local;

import com.todo.events.EventPublisher;
import com.todo.events.RecordingEventPublisher;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Local mode has no sidecar: published events are recorded in memory until the local delivery takes them over.
 */
@Factory
class LocalPublisherFactory {

    @Singleton
    @Requires(property = "todo.events.publisher", value = "local")
    EventPublisher localPublisher() {
        return new RecordingEventPublisher();
    }
}
