package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.domain.NotificationRepository;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A notification is listed for its owner only, newest first, and can be marked read. */
@MicronautTest(transactional = false)
class NotificationsApiTest extends ApiTest {

    @Inject
    NotificationRepository notifications;

    private UUID notify(String user, String title, Instant createdAt) {
        UUID id = UUID.randomUUID();
        notifications.insertOnce(id, user, UUID.randomUUID(), UUID.randomUUID(), title, createdAt.minusSeconds(1), createdAt);
        return id;
    }

    @Test
    void listsTheOwnersNotificationsNewestFirstAndMarksThemRead() {
        UUID older = notify("carol", "older", Instant.parse("2026-05-01T10:00:00Z"));
        UUID newer = notify("carol", "newer", Instant.parse("2026-05-01T11:00:00Z"));
        UUID davesOwn = notify("dave", "dave's", Instant.parse("2026-05-01T12:00:00Z"));

        JsonNode all = expect(200, send("GET", "/api/v1/notifications", null, token("carol")));
        assertEquals(List.of("newer", "older"), titles(all));
        JsonNode first = all.get("items").get(0);
        assertEquals(newer.toString(), first.get("id").asText());
        for (String field : List.of("taskId", "reminderId", "remindAt", "createdAt")) {
            assertFalse(first.get(field).isNull(), field);
        }
        assertTrue(first.get("readAt").isNull());

        expect(204, send("POST", "/api/v1/notifications/" + newer + "/read", null, token("carol")));
        expect(204, send("POST", "/api/v1/notifications/" + newer + "/read", null, token("carol")));
        assertEquals(List.of("older"), titles(expect(200, send("GET", "/api/v1/notifications?unread=true", null,
                token("carol")))));
        JsonNode read = expect(200, send("GET", "/api/v1/notifications", null, token("carol"))).get("items").get(0);
        assertFalse(read.get("readAt").isNull());

        expect(404, send("POST", "/api/v1/notifications/" + davesOwn + "/read", null, token("carol")));
        expect(404, send("POST", "/api/v1/notifications/not-an-id/read", null, token("carol")));
        assertEquals(List.of("dave's"), titles(expect(200, send("GET", "/api/v1/notifications?unread=true", null,
                token("dave")))));
        expect(400, send("GET", "/api/v1/notifications?unread=maybe", null, token("carol")));
        expect(401, send("GET", "/api/v1/notifications", null, null));
        assertEquals(older, UUID.fromString(expect(200, send("GET", "/api/v1/notifications?unread=true", null,
                token("carol"))).get("items").get(0).get("id").asText()));
    }

    @Test
    void anEmptyListIsShownAsAnEmptyList() {
        JsonNode none = expect(200, send("GET", "/api/v1/notifications", null, token("nobody")));
        assertTrue(none.get("items").isArray() && none.get("items").isEmpty(), none.toString());
        JsonNode tasks = expect(200, send("GET", "/api/v1/tasks", null, token("nobody")));
        assertTrue(tasks.get("items").isArray() && tasks.get("items").isEmpty(), tasks.toString());
        assertEquals(0, tasks.get("total").asLong());
    }

    private static List<String> titles(JsonNode list) {
        List<String> titles = new ArrayList<>();
        list.get("items").forEach(n -> titles.add(n.get("title").asText()));
        return titles;
    }
}
