package com.todo.gateway;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Why the gateway's deliveries were dropped, by event id, so that the dead letter daprd publishes next can carry it
 * to the inbox: daprd's dead-letter topic keeps the event, not the answer that sent it there. Kept in memory for the
 * most recent drops; a dead letter another replica dropped, or dropped before a restart, arrives without a reason.
 */
@Singleton
public class DeadLetterReasons {

    private static final int KEPT = 10_000;

    private final Map<String, String> reasons = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT;
        }
    };

    public synchronized void remember(String eventId, String reason) {
        reasons.put(eventId, reason);
    }

    public synchronized Optional<String> of(String eventId) {
        return Optional.ofNullable(reasons.get(eventId));
    }
}
