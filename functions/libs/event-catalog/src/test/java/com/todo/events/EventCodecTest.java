package com.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<EventType> TASK_CREATED = Set.of(EventType.TASK_CREATED);
    private static final String TASK_ID = "0b7e9a5c-3f1e-4c1b-9a0e-2d7c4b8e6f10";
    private static final String DATA = """
            {"id": "%s", "userId": "alice", "title": "Pay rent", "description": null, "status": "pending",
             "priority": "medium", "tags": [], "dueAt": null, "timeZone": "UTC", "reminders": [], "recurrence": null,
             "seriesId": null, "version": 3, "createdAt": "2026-06-01T10:00:00Z", "updatedAt": "2026-06-01T11:00:00Z",
             "completedAt": null}""".formatted(TASK_ID);

    /** Our event as we write it to the outbox and publish it. */
    private static byte[] ourEvent(String id, String data) {
        return StructuredEvents.serialize(StructuredEvents.build(EventType.TASK_CREATED, id, "/task-api", TASK_ID,
                Instant.parse("2026-06-01T11:00:00Z"), data.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], List.of(pairs[i + 1]));
        }
        return headers;
    }

    private static List<Path> realEnvelopes() throws Exception {
        Path dir = ReferenceFiles.dir("dapr-envelopes").orElse(null);
        assumeTrue(dir != null, "reference envelopes (shared/reference/dapr-envelopes) are not beside the repository");
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 4, files::toString);
        return files;
    }

    @Test
    void readsEveryRealDaprEnvelope() throws Exception {
        for (Path file : realEnvelopes()) {
            byte[] body = Files.readAllBytes(file);
            JsonNode envelope = JSON.readTree(body);
            CloudEvent event = EventCodec.read(headers("Content-Type", "application/cloudevents+json"), body);
            assertEquals(envelope.get("id").asText(), event.getId(), file.toString());
            assertEquals(envelope.get("type").asText(), event.getType());
            assertEquals(envelope.get("source").asText(), event.getSource().toString());
            assertEquals(envelope.get("topic").asText(), event.getExtension("topic"));
            assertEquals(envelope.get("pubsubname").asText(), event.getExtension("pubsubname"));
            assertEquals(envelope.get("traceparent").asText(), event.getExtension("traceparent"));
            JsonNode data = envelope.get("data");
            if (data.isTextual()) {
                assertEquals(data.asText(), new String(event.getData().toBytes(), StandardCharsets.UTF_8));
            } else {
                assertEquals(data, JSON.readTree(event.getData().toBytes()));
            }
            // a Dapr-generated event is not one of ours: a poison event, answered DROP
            EventRejected rejected = assertThrows(EventRejected.class, () -> EventCodec.decode(event, TASK_CREATED));
            assertTrue(rejected.getMessage().contains("com.dapr.event.sent"), rejected.getMessage());
        }
    }

    /** What daprd delivers for our event: ours kept (id, type, source, subject, data), its envelope fields added. */
    private static byte[] asDaprDelivers(Path envelopeFile, byte[] ours, boolean base64) throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(Files.readAllBytes(envelopeFile));
        ObjectNode event = (ObjectNode) JSON.readTree(ours);
        envelope.remove(List.of("data", "data_base64", "datacontenttype"));
        envelope.setAll(event);
        if (base64) {
            envelope.put("data_base64", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(event.get("data"))));
            envelope.remove("data");
        }
        return JSON.writeValueAsBytes(envelope);
    }

    @Test
    void decodesOurEventInsideEachRealEnvelopeShapeWithDataOrDataBase64() throws Exception {
        String id = UUID.randomUUID().toString();
        for (Path file : realEnvelopes()) {
            for (boolean base64 : new boolean[]{false, true}) {
                byte[] body = asDaprDelivers(file, ourEvent(id, DATA), base64);
                DecodedEvent<?> event = EventCodec.decode(headers("content-type", "application/cloudevents+json"), body,
                        TASK_CREATED);
                assertEquals(id, event.id());
                assertEquals(EventType.TASK_CREATED, event.type());
                assertEquals(TASK_ID, event.subject());
                assertEquals("/task-api", event.source());
                TaskSnapshot task = assertInstanceOf(TaskSnapshot.class, event.data());
                assertEquals(3, task.version());
                assertEquals(UUID.fromString(TASK_ID), task.id());
                assertEquals(JSON.readTree(Files.readAllBytes(file)).get("traceparent").asText(), event.traceparent());
            }
        }
    }

    @Test
    void decodesBinaryMode() throws Exception {
        String id = UUID.randomUUID().toString();
        DecodedEvent<?> event = EventCodec.decode(headers(
                "Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", id,
                "ce-type", "com.todo.task.created", "ce-source", "/task-api", "ce-subject", TASK_ID,
                "ce-time", "2026-06-01T11:00:00Z", "ce-traceparent", "00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01"),
                DATA.getBytes(StandardCharsets.UTF_8), TASK_CREATED);
        assertEquals(id, event.id());
        assertEquals("Pay rent", ((TaskSnapshot) event.data()).title());
        assertEquals("00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01", event.traceparent());
    }

    @Test
    void kafkaSourceRedeliveriesWithDifferentOuterIdsAreTheSameEvent() throws Exception {
        String id = UUID.randomUUID().toString();
        Path envelope = realEnvelopes().get(0);
        byte[] recordValue = asDaprDelivers(envelope, ourEvent(id, DATA), false);
        DecodedEvent<?> first = EventCodec.decode(kafkaSource("partition:0/offset:17"), recordValue, TASK_CREATED);
        DecodedEvent<?> second = EventCodec.decode(kafkaSource("partition:0/offset:42"), recordValue, TASK_CREATED);
        assertEquals(id, first.id());
        assertEquals(first.id(), second.id());
        assertEquals(first.data(), second.data());
    }

    private static Map<String, List<String>> kafkaSource(String outerId) {
        return headers("Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", outerId,
                "ce-type", EventCodec.KAFKA_SOURCE_TYPE, "ce-source", "/apis/v1/namespaces/todo/kafkasources/tasks#task-events",
                "ce-subject", "partition:0#17");
    }

    @Test
    void schemaInvalidDataIsRejectedNamingTheField() {
        String bad = DATA.replace("\"priority\": \"medium\"", "\"priority\": \"urgent\"").replace("\"version\": 3", "\"version\": 0");
        EventRejected rejected = assertThrows(EventRejected.class, () -> EventCodec.decode(
                headers("Content-Type", "application/cloudevents+json"), ourEvent("e-1", bad), TASK_CREATED));
        assertTrue(rejected.getMessage().contains("/priority"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("/version"), rejected.getMessage());
    }

    @Test
    void ourEventOfAnotherTypeIsRejected() {
        EventRejected rejected = assertThrows(EventRejected.class, () -> EventCodec.decode(
                headers("Content-Type", "application/cloudevents+json"), ourEvent("e-2", DATA),
                Set.of(EventType.TASK_DELETED)));
        assertTrue(rejected.getMessage().contains("com.todo.task.created"), rejected.getMessage());
    }

    static List<String> garbage() {
        List<String> cases = new ArrayList<>();
        List<String> bodies = List.of("", "not json", "null", "{}", "{\"id\": \"x\"}", "[1, 2]",
                "{\"specversion\": \"2.0\", \"id\": \"x\", \"type\": \"com.todo.task.created\", \"source\": \"/x\"}",
                "{\"specversion\": \"1.0\", \"id\": \"x\", \"type\": \"com.todo.task.created\", \"source\": \"/x\", \"time\": \"soon\"}",
                "{\"specversion\": \"1.0\", \"id\": \"x\", \"type\": \"com.todo.task.created\", \"source\": \"/x\", \"data_base64\": \"!\"}",
                "{\"specversion\": \"1.0\", \"id\": \"x\", \"type\": \"dev.knative.kafka.event\", \"source\": \"/x\", \"data\": \"s\"}");
        for (String contentType : new String[]{"", "application/json", "text/plain", "application/cloudevents+json",
                "application/cloudevents-batch+json"}) {
            bodies.forEach(body -> cases.add(contentType + "|" + body));
        }
        return cases;
    }

    /** Redelivering these would fail the same way forever: each is DROP (EventRejected), never RETRY. */
    @ParameterizedTest
    @MethodSource("garbage")
    void garbageIsRejected(String contentTypeAndBody) {
        String[] parts = contentTypeAndBody.split("\\|", 2);
        Map<String, List<String>> headers = parts[0].isEmpty() ? Map.of() : headers("Content-Type", parts[0]);
        assertThrows(EventRejected.class, () -> EventCodec.decode(headers, parts[1].getBytes(StandardCharsets.UTF_8),
                TASK_CREATED));
    }

    @Test
    void binaryWithoutDataOrWithNonJsonDataIsRejected() {
        Map<String, List<String>> binary = headers("ce-specversion", "1.0", "ce-id", "e-3",
                "ce-type", "com.todo.task.created", "ce-source", "/task-api");
        assertThrows(EventRejected.class, () -> EventCodec.decode(binary, new byte[0], TASK_CREATED));
        Map<String, List<String>> text = new HashMap<>(binary);
        text.put("Content-Type", List.of("text/plain"));
        EventRejected rejected = assertThrows(EventRejected.class,
                () -> EventCodec.decode(text, "hello".getBytes(StandardCharsets.UTF_8), TASK_CREATED));
        assertTrue(rejected.getMessage().contains("text/plain"), rejected.getMessage());
    }

    @Test
    void ourStructuredEventRoundTrips() throws Exception {
        byte[] bytes = ourEvent("e-4", DATA);
        JsonNode written = JSON.readTree(bytes);
        assertEquals("1.0", written.get("specversion").asText());
        assertEquals(EventType.TASK_CREATED.dataSchema().toString(), written.get("dataschema").asText());
        assertNotNull(written.get("data").get("title"), "data is inline JSON, not base64");
        DecodedEvent<?> event = EventCodec.decode(headers("Content-Type", StructuredEvents.CONTENT_TYPE), bytes, TASK_CREATED);
        assertEquals("e-4", event.id());
    }
}
