package com.todo.events;

import java.util.ArrayList;
import java.util.List;

/** Keeps what is published in memory, in order: local mode's publisher until local delivery exists, and tests'. */
public class RecordingEventPublisher implements EventPublisher {

    private final List<OutgoingEvent> published = new ArrayList<>();

    @Override
    public synchronized void publish(OutgoingEvent event) {
        published.add(event);
    }

    public synchronized List<OutgoingEvent> published() {
        return List.copyOf(published);
    }
}
