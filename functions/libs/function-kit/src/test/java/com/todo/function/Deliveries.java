package com.todo.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.events.EventCodec;
import com.todo.events.EventJson;
import io.cloudevents.CloudEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One of our events as it reaches a function in each shape a platform delivers (architecture D4): structured with
 * daprd's envelope fields, binary, and KafkaSource-wrapped (a new outer id per delivery).
 */
public final class Deliveries {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A delivery: its shape's name, headers and body. */
    public record Delivery(String shape, Map<String, String> headers, byte[] body) {
    }

    private Deliveries() {
    }

    /** @param structured our complete CloudEvent as application/cloudevents+json */
    public static List<Delivery> of(byte[] structured) {
        return List.of(daprEnvelope(structured), binary(structured), kafkaSource(structured));
    }

    /** What daprd delivers: our event kept, its envelope fields added (platform contracts §1). */
    public static Delivery daprEnvelope(byte[] structured) {
        try {
            ObjectNode envelope = (ObjectNode) EventJson.MAPPER.readTree(structured);
            String topic = envelope.path("type").asText().startsWith("com.todo.task.") ? "task-events" : "events";
            envelope.put("topic", topic).put("pubsubname", "taskpubsub")
                    .put("traceid", "00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01")
                    .put("traceparent", "00-e61de949bb4de415a7af49fc86675648-ffb64972bb907224-01")
                    .put("tracestate", "");
            return new Delivery("structured (Dapr envelope)", Map.of("Content-Type", "application/cloudevents+json"),
                    EventJson.MAPPER.writeValueAsBytes(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Delivery binary(byte[] structured) {
        CloudEvent event = com.todo.events.StructuredEvents.deserialize(structured);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", event.getId());
        headers.put("ce-type", event.getType());
        headers.put("ce-source", event.getSource().toString());
        if (event.getSubject() != null) {
            headers.put("ce-subject", event.getSubject());
        }
        if (event.getTime() != null) {
            headers.put("ce-time", event.getTime().toString());
        }
        if (event.getDataSchema() != null) {
            headers.put("ce-dataschema", event.getDataSchema().toString());
        }
        return new Delivery("binary", headers, event.getData().toBytes());
    }

    /** KafkaSource wraps the record value (the Dapr envelope) in a binary event whose id changes per redelivery. */
    public static Delivery kafkaSource(byte[] structured) {
        return new Delivery("KafkaSource-wrapped", Map.of("Content-Type", "application/json",
                "ce-specversion", "1.0", "ce-id", "partition:0/offset:" + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 100000),
                "ce-type", EventCodec.KAFKA_SOURCE_TYPE,
                "ce-source", "/apis/v1/namespaces/todo/kafkasources/events#task-events"),
                daprEnvelope(structured).body());
    }

    /** Posts a delivery to a function route; returns status and body. */
    public static HttpResponse<String> post(int port, String route, Delivery delivery, String appToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + route))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        if (appToken != null) {
            request.header(AppApiTokenFilter.HEADER, appToken);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Delivers until the answer is not RETRY, as daprd's retry policy would; returns the final outcome. */
    public static String settle(int port, String route, Delivery delivery, String appToken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String outcome = outcome(post(port, route, delivery, appToken));
            if (!"RETRY".equals(outcome)) {
                return outcome;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return "RETRY";
    }

    /** The outcome named in a function's answer: SUCCESS, DROP or RETRY. */
    public static String outcome(HttpResponse<String> response) {
        try {
            return EventJson.MAPPER.readTree(response.body()).path("status").asText();
        } catch (IOException e) {
            throw new AssertionError("not an outcome: " + response.statusCode() + " " + response.body(), e);
        }
    }

}
