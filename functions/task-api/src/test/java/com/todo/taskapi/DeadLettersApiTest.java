package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.todo.events.EventPublisher;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dead-letter inbox through task-api's routes: what the gateway forwards from a dead-letter topic is kept once per
 * event id; an operator with the admin role lists, shows, replays and deletes; anyone else is refused and changes
 * nothing.
 */
@MicronautTest(transactional = false)
class DeadLettersApiTest extends ApiTest {

    private static final String APP_TOKEN = "dead-letters-app-token";

    @Inject
    EventPublisher publisher;

    @Override
    Map<String, String> extraProperties() {
        return Map.of("todo.app-api-token", APP_TOKEN);
    }

    static String adminToken(String user) {
        return sign(new JWTClaimsSet.Builder().subject(user).claim("roles", List.of("todo-admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build(), SECRET);
    }

    /** What daprd delivers from a dead-letter topic: the event as published, with its envelope fields. */
    private static ObjectNode delivery(String id, String type, String topic, String subject) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id).put("type", type)
                .put("source", "task-api").put("subject", subject).put("datacontenttype", "application/json")
                .put("topic", topic).put("pubsubname", "taskpubsub")
                .put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        event.putObject("data").put("title", "Ünïcode & \"quotes\"");
        return event;
    }

    private HttpResponse<String> deliver(ObjectNode delivery, String reason) {
        List<String> headers = new ArrayList<>(List.of("dapr-api-token", APP_TOKEN));
        if (reason != null) {
            headers.addAll(List.of("todo-drop-reason", URLEncoder.encode(reason, StandardCharsets.UTF_8)));
        }
        return send("POST", "/dead-letters", delivery.toString().getBytes(StandardCharsets.UTF_8),
                "application/cloudevents+json", headers.toArray(String[]::new));
    }

    private JsonNode admin(String method, String path, int status) {
        return expect(status, send(method, path, null, adminToken("operator")));
    }

    @Test
    void aDeadLetterIsKeptOncePerEventIdWithItsTopicReasonAndDeliveries() {
        String id = UUID.randomUUID().toString();
        ObjectNode delivery = delivery(id, "com.todo.task.created", "task-events-dlq", "task-1");
        assertEquals("SUCCESS", json(deliver(delivery, "data: $.title: is missing ü")).get("status").asText());
        assertEquals("SUCCESS", json(deliver(delivery, null)).get("status").asText());

        JsonNode letter = admin("GET", "/admin/dead-letters/" + id, 200);
        assertEquals("task-events", letter.get("topic").asText(), "the topic it was dead-lettered from");
        assertEquals("com.todo.task.created", letter.get("type").asText());
        assertEquals("task-1", letter.get("subject").asText());
        assertEquals("data: $.title: is missing ü", letter.get("reason").asText(), "kept when a later copy has none");
        assertEquals(2, letter.get("deliveries").asInt());
        assertEquals(0, letter.get("replays").asInt());
        assertTrue(letter.get("replayedAt").isNull());
        assertFalse(Instant.parse(letter.get("lastSeen").asText()).isBefore(Instant.parse(letter.get("firstSeen").asText())));
        JsonNode event = letter.get("event");
        assertFalse(event.has("topic") || event.has("pubsubname"), "daprd's envelope fields are not the event's");
        assertEquals(id, event.get("id").asText());
        assertEquals("Ünïcode & \"quotes\"", event.at("/data/title").asText());
        assertEquals(delivery.get("traceparent"), event.get("traceparent"));
        assertEquals(1, admin("GET", "/admin/dead-letters?topic=task-events&type=com.todo.task.created", 200).get("total").asLong());
    }

    @Test
    void theIntakeAnswersOnlyTheAppTokenAndDropsWhatIsNoDeadLetter() {
        ObjectNode delivery = delivery(UUID.randomUUID().toString(), "com.todo.task.updated", "task-events-dlq", "t");
        assertEquals(401, send("POST", "/dead-letters", delivery.toString().getBytes(StandardCharsets.UTF_8),
                "application/cloudevents+json").statusCode());
        assertEquals(401, send("POST", "/dead-letters", delivery.toString(), token("mallory")).statusCode(),
                "a user's token is not the app token");
        ObjectNode noTopic = delivery.deepCopy();
        noTopic.remove("topic");
        ObjectNode noId = delivery.deepCopy();
        noId.remove("id");
        for (ObjectNode poison : List.of(noTopic, noId)) {
            assertEquals("DROP", json(deliver(poison, null)).get("status").asText(), poison.toString());
        }
        HttpResponse<String> notJson = send("POST", "/dead-letters", "not json".getBytes(StandardCharsets.UTF_8),
                "text/plain", "dapr-api-token", APP_TOKEN);
        assertEquals("DROP", json(notJson).get("status").asText());
        assertEquals(0, admin("GET", "/admin/dead-letters?type=com.todo.task.updated", 200).get("total").asLong());
    }

    @Test
    void theListFiltersByTopicTypeAndTimeNewestFirstInPages() {
        String prefix = "com.todo.list-test.";
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        deliver(delivery(a, prefix + "one", "reminder-events-dlq", "x"), null);
        deliver(delivery(b, prefix + "two", "recurring-events-dlq", "y"), null);
        Instant between = Instant.now();
        deliver(delivery(c, prefix + "two", "recurring-events-dlq", "z"), null);

        JsonNode recurring = admin("GET", "/admin/dead-letters?topic=recurring-events&size=1", 200);
        assertEquals(2, recurring.get("total").asLong());
        assertEquals(List.of(c), ids(recurring), "newest first, one per page");
        assertEquals(List.of(b), ids(admin("GET", "/admin/dead-letters?topic=recurring-events&size=1&page=1", 200)));
        assertEquals(List.of(a), ids(admin("GET", "/admin/dead-letters?type=" + prefix + "one", 200)));
        assertEquals(List.of(c), ids(admin("GET", "/admin/dead-letters?type=" + prefix + "two&since=" + between, 200)));
        assertEquals(List.of(b), ids(admin("GET", "/admin/dead-letters?type=" + prefix + "two&until=" + between, 200)));
        assertFalse(recurring.get("items").get(0).has("event"), "the list shows no event bodies");

        for (String bad : List.of("since=yesterday", "size=0", "size=101", "page=-1")) {
            HttpResponse<String> refused = send("GET", "/admin/dead-letters?" + bad, null, adminToken("operator"));
            assertEquals(400, refused.statusCode(), bad);
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @Test
    void replayPublishesTheSameCloudEventToItsTopicAndCountsEachReplay() throws Exception {
        String id = UUID.randomUUID().toString();
        deliver(delivery(id, "com.todo.recurring.scheduled", "recurring-events-dlq", "task-7"), "retries exhausted");
        JsonNode stored = admin("GET", "/admin/dead-letters/" + id, 200).get("event");

        JsonNode once = admin("POST", "/admin/dead-letters/" + id + "/replay", 200);
        admin("POST", "/admin/dead-letters/" + id + "/replay", 200);

        List<EventPublisher.OutgoingEvent> replayed = ((RecordingEventPublisher) publisher).published().stream()
                .filter(e -> e.id().equals(id)).toList();
        assertEquals(2, replayed.size());
        for (EventPublisher.OutgoingEvent event : replayed) {
            assertEquals("recurring-events", event.topic());
            assertEquals("com.todo.recurring.scheduled", event.type());
            assertEquals("task-7", event.partitionKey(), "keyed by its subject, as every producer keys");
            assertEquals(stored, JSON.readTree(event.structured()), "the same CloudEvent, same id");
        }
        assertEquals(1, once.get("replays").asInt());
        JsonNode twice = admin("GET", "/admin/dead-letters/" + id, 200);
        assertEquals(2, twice.get("replays").asInt());
        assertFalse(twice.get("replayedAt").isNull());
    }

    @Test
    void aDeadLetterFromATopicOutsideTheCatalogIsNotReplayed() {
        String id = UUID.randomUUID().toString();
        deliver(delivery(id, "com.todo.task.created", "elsewhere-dlq", "t"), null);
        HttpResponse<String> refused = send("POST", "/admin/dead-letters/" + id + "/replay", null, adminToken("op"));
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(((RecordingEventPublisher) publisher).published().stream().noneMatch(e -> e.id().equals(id)));
    }

    @Test
    void deleteRemovesItAndAnUnknownIdIsA404() {
        String id = UUID.randomUUID().toString();
        deliver(delivery(id, "com.todo.task.deleted", "task-events-dlq", "t"), null);
        admin("DELETE", "/admin/dead-letters/" + id, 204);
        for (String[] route : List.of(new String[]{"GET", ""}, new String[]{"POST", "/replay"},
                new String[]{"DELETE", ""})) {
            HttpResponse<String> missing = send(route[0], "/admin/dead-letters/" + id + route[1], null,
                    adminToken("op"));
            assertEquals(404, missing.statusCode(), route[0] + route[1]);
            assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @Test
    void aUserTokenGets403AndNoTokenA401OnEveryAdminRouteAndNothingChanges() {
        String id = UUID.randomUUID().toString();
        deliver(delivery(id, "com.todo.task.completed", "task-events-dlq", "t"), null);
        List<String[]> routes = List.of(new String[]{"GET", "/admin/dead-letters"},
                new String[]{"GET", "/admin/dead-letters/" + id}, new String[]{"POST", "/admin/dead-letters/" + id + "/replay"},
                new String[]{"DELETE", "/admin/dead-letters/" + id});
        String wrongRole = sign(new JWTClaimsSet.Builder().subject("eve").claim("roles", List.of("todo-user"))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build(), SECRET);
        for (String[] route : routes) {
            for (String user : List.of(token("alice"), wrongRole)) {
                HttpResponse<String> refused = send(route[0], route[1], null, user);
                assertEquals(403, refused.statusCode(), route[0] + " " + route[1] + ": " + refused.body());
            }
            assertEquals(401, send(route[0], route[1], null, null).statusCode(), route[0] + " " + route[1]);
            HttpResponse<String> appToken = send(route[0], route[1], null, "application/json", "dapr-api-token",
                    APP_TOKEN);
            assertEquals(401, appToken.statusCode(), "the app token is no admin: " + route[1]);
        }
        JsonNode letter = admin("GET", "/admin/dead-letters/" + id, 200);
        assertEquals(0, letter.get("replays").asInt());
        assertTrue(((RecordingEventPublisher) publisher).published().stream().noneMatch(e -> e.id().equals(id)));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
