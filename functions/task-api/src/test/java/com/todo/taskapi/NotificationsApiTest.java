package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.domain.NotificationRepository;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void bulkMarkingMarksTheCallersUnreadOnesAmongTheIdsOrAllOfThemAndCountsThem() {
        Instant at = Instant.parse("2026-06-01T10:00:00Z");
        UUID first = notify("erin", "first", at);
        UUID second = notify("erin", "second", at.plusSeconds(1));
        UUID third = notify("erin", "third", at.plusSeconds(2));
        notify("erin", "fourth", at.plusSeconds(3));
        UUID franks = notify("frank", "frank's", at);

        String ids = "{\"ids\": [\"" + first + "\", \"" + second + "\", \"" + franks + "\", \"" + UUID.randomUUID()
                + "\", \"" + first + "\"]}";
        assertEquals(2, expect(200, send("POST", "/api/v1/notifications/read", ids, token("erin"))).get("read").asInt(),
                "the caller's two; another user's id and an unknown one are left, a repeated one counts once");
        assertEquals(0, expect(200, send("POST", "/api/v1/notifications/read", ids, token("erin"))).get("read").asInt(),
                "again: nothing left to mark");
        assertEquals(List.of("frank's"), titles(expect(200, send("GET", "/api/v1/notifications?unread=true", null,
                token("frank")))), "another user's notification is untouched");
        expect(204, send("POST", "/api/v1/notifications/" + third + "/read", null, token("erin")));

        assertEquals(1, expect(200, send("POST", "/api/v1/notifications/read", "{\"all\": true}", token("erin")))
                .get("read").asInt(), "all: the one still unread");
        assertTrue(titles(expect(200, send("GET", "/api/v1/notifications?unread=true", null, token("erin")))).isEmpty());

        // 400: not the JSON types the body has; 422: well-typed, but breaks a rule (as the task routes answer)
        StringBuilder tooMany = new StringBuilder("{\"ids\": [");
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : ",").append('"').append(UUID.randomUUID()).append('"');
        }
        Map<String, Integer> refusals = Map.of("[]", 400, "{\"all\": \"yes\"}", 400, "{\"ids\": [42]}", 400,
                "{\"ids\": \"" + first + "\"}", 400, "{}", 422, "{\"all\": false}", 422, "{\"ids\": []}", 422,
                "{\"ids\": [\"1-2-3-4-5\"]}", 422, "{\"ids\": [\"" + first + "\"], \"all\": true}", 422,
                tooMany.append("]}").toString(), 422);
        refusals.forEach((bad, status) -> {
            HttpResponse<String> refused = send("POST", "/api/v1/notifications/read", bad, token("frank"));
            assertEquals(status, refused.statusCode(), bad + ": " + refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        });
        expect(401, send("POST", "/api/v1/notifications/read", "{\"all\": true}", null));
        assertEquals(List.of("frank's"), titles(expect(200, send("GET", "/api/v1/notifications?unread=true", null,
                token("frank")))), "no refused request marked anything");
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
