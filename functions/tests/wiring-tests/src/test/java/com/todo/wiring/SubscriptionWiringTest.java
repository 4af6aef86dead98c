package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventCatalog;
import com.todo.events.EventType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every consumed event type has exactly one Subscription rule, on its topic, routed through the gateway to the
 * function that exists and handles that type (architecture D3, platform contracts §2).
 */
class SubscriptionWiringTest {

    private static final String DLQ = "-dlq";
    private static final Pattern MATCH = Pattern.compile("^event\\.type == \"([^\"]+)\"$");

    private record Rule(String topic, String type, String path, Path file) {
    }

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : Repo.yamlFiles("dapr-components/subscriptions")) {
            JsonNode s = Repo.yaml(file);
            for (JsonNode rule : s.path("spec").path("routes").path("rules")) {
                Matcher m = MATCH.matcher(rule.path("match").asText());
                assertTrue(m.matches(), file + ": a rule is one CEL equality on event.type, not " + rule.path("match"));
                rules.add(new Rule(s.path("spec").path("topic").asText(), m.group(1), rule.path("path").asText(), file));
            }
        }
        return rules;
    }

    @Test
    void subscriptionsAreV2alpha1ScopedToTheGatewayWithADeadLetterTopic() {
        List<Path> files = Repo.yamlFiles("dapr-components/subscriptions");
        assertTrue(files.size() >= 3);
        for (Path file : files) {
            JsonNode s = Repo.yaml(file);
            assertEquals("dapr.io/v2alpha1", s.path("apiVersion").asText(), file.toString());
            assertEquals("Subscription", s.path("kind").asText(), file.toString());
            assertEquals(List.of("event-gateway"), strings(s.path("scopes")), file + ": scopes is top level, the gateway only");
            assertTrue(s.path("spec").path("scopes").isMissingNode(), file + ": scopes must not be inside spec");
            assertEquals(EventCatalog.PUBSUB_NAME, s.path("spec").path("pubsubname").asText(), file.toString());
            String topic = s.path("spec").path("topic").asText();
            if (topic.endsWith(DLQ)) {
                continue; // deadLetterSubscriptionsForwardEveryDeadLetterTopicToTheInbox
            }
            assertEquals(topic + DLQ, s.path("spec").path("deadLetterTopic").asText(), file.toString());
            assertEquals("/forward/unrouted", s.path("spec").path("routes").path("default").asText(), file.toString());
        }
    }

    /**
     * Each dead-letter topic is subscribed, by the gateway, with one route: {@code /forward/dead-letters} (task-api's
     * intake); and without a dead-letter topic of its own, which would dead-letter dead letters without end.
     */
    @Test
    void deadLetterSubscriptionsForwardEveryDeadLetterTopicToTheInbox() {
        List<String> deadLetterTopics = new ArrayList<>();
        List<String> subscribed = new ArrayList<>();
        for (Path file : Repo.yamlFiles("dapr-components/subscriptions")) {
            JsonNode spec = Repo.yaml(file).path("spec");
            String topic = spec.path("topic").asText();
            if (!topic.endsWith(DLQ)) {
                deadLetterTopics.add(spec.path("deadLetterTopic").asText());
                continue;
            }
            subscribed.add(topic);
            assertTrue(spec.path("deadLetterTopic").isMissingNode(), file + ": a dead-letter topic has none of its own");
            assertTrue(spec.path("routes").path("rules").isEmpty(), file + ": every dead letter goes to the inbox");
            assertEquals("/forward/dead-letters", spec.path("routes").path("default").asText(), file.toString());
        }
        assertEquals(new java.util.TreeSet<>(deadLetterTopics), new java.util.TreeSet<>(subscribed));
    }

    @Test
    void everyTypeIsBuiltByDeployablesThatExist() {
        List<String> deployables = Repo.deployables();
        for (EventType type : EventType.values()) {
            assertTrue(!type.builders().isEmpty() && deployables.containsAll(type.builders()),
                    type.type() + " is built by " + type.builders() + ", not all of them deployables " + deployables);
        }
    }

    @Test
    void everyConsumedTypeHasExactlyOneRuleToItsFunction() {
        List<Rule> rules = rules();
        for (EventType type : EventType.values()) {
            List<Rule> forType = rules.stream().filter(r -> r.type().equals(type.type())).toList();
            if (type.handler().isEmpty()) {
                assertEquals(List.of(), forType, type.type() + " has no handler, so no rule");
                continue;
            }
            String function = type.handler().orElseThrow();
            assertEquals(1, forType.size(), type.type() + ": " + forType);
            Rule rule = forType.get(0);
            assertEquals(type.topic(), rule.topic(), type.type() + " is on its topic");
            assertEquals("/forward/" + function, rule.path(), type.type());
            assertFunctionHandles(function, type);
        }
        for (Rule rule : rules) {
            assertTrue(EventType.ofType(rule.type()).isPresent(), rule + " routes a type outside the catalog");
        }
    }

    /** The function module exists, has the handler of the type (served on POST /<function>) and a Knative Service. */
    private static void assertFunctionHandles(String function, EventType type) {
        Path module = Repo.path("functions/" + function);
        assertTrue(Files.exists(module.resolve("pom.xml")), "no module functions/" + function);
        assertTrue(Files.exists(Repo.path("knative/" + function + ".yaml")), "no knative/" + function + ".yaml");
        try (var sources = Files.walk(module.resolve("src/main/java"))) {
            boolean handles = sources.filter(p -> p.toString().endsWith(".java")).map(Repo::text)
                    .anyMatch(src -> src.contains("implements EventHandler<" + type.dataType().getSimpleName() + ">")
                            && src.contains("return EventType." + type.name() + ";"));
            assertTrue(handles, function + " has an EventHandler of EventType." + type.name());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
