package com.todo.taskapi;

import com.todo.events.EventPublisher;

import java.util.ArrayList;
import java.util.List;

/** Keeps what is published in memory, in order: for tests that read what a request published. */
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
