package com.todo.domain;

import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.TransactionDefinition;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes an event to the outbox inside the caller's transaction (architecture D2): the business rows and the event
 * commit together or not at all. The row holds the complete structured CloudEvent, so a republish is byte-identical.
 */
@Singleton
public class Outbox {

    private final OutboxRepository repository;
    private final ApplicationEventPublisher<OutboxAppended> appended;

    public Outbox(OutboxRepository repository, ApplicationEventPublisher<OutboxAppended> appended) {
        this.repository = repository;
        this.appended = appended;
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void append(EventType type, String eventId, String source, String subject, Instant time, Object data) {
        byte[] bytes = EventJson.bytes(data);
        byte[] event = StructuredEvents.serialize(StructuredEvents.build(type, eventId, source, subject, time, bytes));
        repository.append(eventId, subject, type.topic(), type.type(), new String(event, StandardCharsets.UTF_8));
        appended.publishEvent(new OutboxAppended(subject));
    }
}
