package com.todo.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster's Subscription files drive local delivery, evaluated with CEL as daprd does. */
class LocalSubscriptionsTest {

    @Test
    void theProjectsSubscriptionsRouteEveryConsumedType() {
        LocalSubscriptions subscriptions = LocalSubscriptions.load(LocalSystem.subscriptionsDir());
        assertEquals(Optional.of("/forward/task-updated"),
                subscriptions.route("task-events", Map.of("type", "com.todo.task.updated", "id", "1")));
        assertEquals(Optional.of("/forward/reminder-due"),
                subscriptions.route("reminder-events", Map.of("type", "com.todo.reminder.due")));
        assertEquals(Optional.of("/forward/recurring-scheduled"),
                subscriptions.route("recurring-events", Map.of("type", "com.todo.recurring.scheduled")));
        assertEquals(Optional.of("/forward/unrouted"), subscriptions.route("task-events", Map.of("type", "other")),
                "the default route");
        assertTrue(!subscriptions.subscribed("notification-events"));
    }

    @Test
    void anExpressionCelCannotEvaluateIsAStartupError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: dapr.io/v2alpha1
                kind: Subscription
                metadata: {name: bad}
                spec:
                  pubsubname: taskpubsub
                  topic: task-events
                  routes:
                    rules:
                      - match: event.type ==
                        path: /forward/task-created
                scopes: [event-gateway]
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalSubscriptions.load(dir));
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("event.type =="), e.getMessage());
    }

    @Test
    void withoutADefaultAnUnmatchedEventHasNoRoute(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: dapr.io/v2alpha1
                kind: Subscription
                metadata: {name: s}
                spec:
                  pubsubname: taskpubsub
                  topic: t
                  routes:
                    rules:
                      - match: event.type == "a" && event.subject.startsWith("x")
                        path: /a
                scopes: [event-gateway]
                """);
        LocalSubscriptions subscriptions = LocalSubscriptions.load(dir);
        assertEquals(Optional.of("/a"), subscriptions.route("t", Map.of("type", "a", "subject", "xyz")));
        assertEquals(Optional.empty(), subscriptions.route("t", Map.of("type", "a", "subject", "abc")));
        assertEquals(Optional.empty(), subscriptions.route("t", Map.of("type", "b")));
    }
}
