package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.events.EventCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Components, resiliency and configuration agree with each other, with the code and with Dapr 1.18. */
class ComponentWiringTest {

    /**
     * Metadata the reference marks required that we give per request instead: bindings.smtp merges the request's
     * metadata and checks {@code emailTo} only when it sends (components-contrib bindings/smtp/smtp.go, Invoke), and
     * daprd loads binding-email.yaml without it (ClusterNotificationChannelsTest mails through it).
     */
    private static final Map<String, Set<String>> PER_REQUEST = Map.of("bindings.smtp", Set.of("emailTo"));

    private static List<JsonNode> components() {
        List<JsonNode> all = new ArrayList<>();
        Repo.yamlFiles("dapr-components/components").forEach(f -> all.add(Repo.yaml(f)));
        Repo.yamlFiles("dapr-components/optional").forEach(f -> all.add(Repo.yaml(f)));
        return all;
    }

    private static Map<String, JsonNode> byName() {
        Map<String, JsonNode> map = new TreeMap<>();
        components().forEach(c -> map.put(c.path("metadata").path("name").asText(), c));
        return map;
    }

    @Test
    void componentsAreV1alpha1AndTheNamesTheCodeUses() {
        for (JsonNode c : components()) {
            assertEquals("dapr.io/v1alpha1", c.path("apiVersion").asText(), c.toString());
            assertEquals("Component", c.path("kind").asText());
        }
        Map<String, JsonNode> components = byName();
        assertEquals("pubsub.kafka", components.get(EventCatalog.PUBSUB_NAME).path("spec").path("type").asText());
        JsonNode state = components.get("taskstate");
        assertEquals("state.postgresql", state.path("spec").path("type").asText());
        assertEquals("v2", state.path("spec").path("version").asText());
        assertEquals("none", metadata(state).get("keyPrefix"), "keys shared by all task-* apps (D5)");
        assertEquals("oldest", metadata(components.get(EventCatalog.PUBSUB_NAME)).get("initialOffset"));
        assertEquals("true", metadata(components.get(EventCatalog.PUBSUB_NAME)).get("disableTls"),
                "the SASL_PLAINTEXT listener of docs/deploy.md: with authType password the component dials TLS unless told");
        assertTrue(Repo.text(Repo.path("functions/libs/dapr-kit/src/main/java/com/todo/dapr/DaprStateStore.java"))
                .contains("${todo.state.name:taskstate}"), "the code's default state store is taskstate");
        for (JsonNode c : components()) {
            String store = c.path("auth").path("secretStore").asText(null);
            if (store != null) {
                assertTrue(components.containsKey(store), "secret store " + store + " is a component");
            }
        }
    }

    @Test
    void secretsComeFromTheSecretStoreNeverFromTheYaml() {
        for (JsonNode c : components()) {
            for (JsonNode m : c.path("spec").path("metadata")) {
                String name = m.path("name").asText().toLowerCase();
                if (name.contains("password") || name.contains("connectionstring") || name.equals("brokers")) {
                    assertFalse(m.has("value"), c.path("metadata").path("name") + "." + name + " must be a secretKeyRef");
                    assertTrue(m.has("secretKeyRef"));
                }
            }
        }
    }

    @Test
    void everyMetadataNameIsValidForItsTypeAndVersion() throws IOException {
        Optional<Path> reference = Repo.reference("dapr-component-metadata");
        assumeTrue(reference.isPresent(), "shared/reference/dapr-component-metadata is not beside the repository: skipped");
        List<String> unchecked = new ArrayList<>();
        int checked = 0;
        for (JsonNode c : components()) {
            String type = c.path("spec").path("type").asText();
            String version = c.path("spec").path("version").asText();
            Path valid = reference.get().resolve(type + "-" + version + ".txt");
            if (!Files.exists(valid)) {
                unchecked.add(type + " " + version);
                continue;
            }
            Set<String> names = new HashSet<>(Files.readAllLines(valid));
            for (JsonNode m : c.path("spec").path("metadata")) {
                assertTrue(names.contains(m.path("name").asText()),
                        type + " " + version + " has no metadata '" + m.path("name").asText() + "'");
                checked++;
            }
            Path annotated = reference.get().resolve(type + "-" + version + ".annotated.tsv");
            if (!Files.exists(annotated)) {
                continue; // the reference lists this type's names but not which are required
            }
            for (String line : Files.readAllLines(annotated)) {
                String[] cols = line.split("\t");
                if (cols.length > 2 && cols[2].equals("True") && cols[1].equals("metadata")
                        && !PER_REQUEST.getOrDefault(type, Set.of()).contains(cols[0])) {
                    assertTrue(metadata(c).containsKey(cols[0]) || hasSecretRef(c, cols[0]),
                            type + " requires '" + cols[0] + "'");
                }
            }
        }
        assertTrue(checked > 10, "checked " + checked);
        assertEquals(List.of(), unchecked, "every type and version we use is in the reference");
    }

    @Test
    void resiliencyTargetsAndPoliciesExist() {
        JsonNode r = Repo.yaml(Repo.path("dapr-components/resiliency.yaml"));
        assertEquals("Resiliency", r.path("kind").asText());
        JsonNode policies = r.path("spec").path("policies");
        Map<String, JsonNode> components = byName();
        r.path("spec").path("targets").path("components").fields().forEachRemaining(target -> {
            assertTrue(components.containsKey(target.getKey()), "resiliency target " + target.getKey() + " is a component");
            target.getValue().fields().forEachRemaining(direction -> direction.getValue().fields().forEachRemaining(p ->
                    assertTrue(policies.path(kind(p.getKey())).has(p.getValue().asText()),
                            target.getKey() + " uses " + p.getKey() + " " + p.getValue())));
        });
        JsonNode inbound = r.path("spec").path("targets").path("components").path(EventCatalog.PUBSUB_NAME).path("inbound");
        assertTrue(inbound.has("retry") && inbound.has("timeout"), "inbound retries before the dead-letter topic");
        assertTrue(r.path("spec").path("targets").path("apps").has("event-gateway"), "invocations of the gateway");
        assertTrue(Repo.deployables().containsAll(SubscriptionWiringTest.strings(r.path("scopes"))));
    }

    @Test
    void onlyTheTaskFunctionsMayInvokeTheGatewaysSchedules() {
        JsonNode config = Repo.yaml(Repo.path("dapr-components/configuration.yaml"));
        assertEquals("todo-config", config.path("metadata").path("name").asText());
        JsonNode acl = config.path("spec").path("accessControl");
        assertEquals("deny", acl.path("defaultAction").asText());
        List<String> allowed = new ArrayList<>();
        for (JsonNode policy : acl.path("policies")) {
            allowed.add(policy.path("appId").asText());
            assertEquals("deny", policy.path("defaultAction").asText());
            assertEquals("todo", policy.path("namespace").asText(), "daprd exits on a policy without a namespace; "
                    + "deploy.sh renders this one with --namespace");
            JsonNode op = policy.path("operations").get(0);
            assertEquals("/schedules/*", op.path("name").asText());
            assertEquals(List.of("PUT", "DELETE"), SubscriptionWiringTest.strings(op.path("httpVerb")));
            assertEquals("allow", op.path("action").asText());
        }
        assertEquals(List.of("task-created", "task-updated", "task-completed", "task-deleted"), allowed);
        assertTrue(config.path("spec").path("tracing").has("samplingRate"));
    }

    @Test
    void timeoutsNest() {
        // function cold start < gateway forward timeout < pubsub inbound resiliency timeout (D3)
        JsonNode resiliency = Repo.yaml(Repo.path("dapr-components/resiliency.yaml"));
        String inboundPolicy = resiliency.path("spec").path("targets").path("components").path(EventCatalog.PUBSUB_NAME)
                .path("inbound").path("timeout").asText();
        var inbound = Repo.duration(resiliency.path("spec").path("policies").path("timeouts").path(inboundPolicy).asText());
        var forward = Repo.duration(KnativeServicesTest.env(Repo.yaml(Repo.path("knative/event-gateway.yaml")),
                "TODO_GATEWAY_FORWARD_TIMEOUT"));
        assertTrue(Repo.text(Repo.path("functions/event-gateway/src/main/resources/application.yml"))
                .contains("forward-timeout: " + forward.toSeconds() + "s"), "the gateway's default matches its Service");
        for (String function : Repo.deployables()) {
            if (function.equals("event-gateway")) {
                continue;
            }
            JsonNode service = Repo.yaml(Repo.path("knative/" + function + ".yaml"));
            var coldStart = Repo.duration(service.path("metadata").path("annotations")
                    .path("todo-functions/cold-start-budget").asText());
            assertTrue(coldStart.compareTo(forward) < 0, function + ": cold start " + coldStart + " < forward " + forward);
        }
        assertTrue(forward.compareTo(inbound) < 0, "forward " + forward + " < inbound " + inbound);
    }

    private static String kind(String field) {
        return switch (field) {
            case "timeout" -> "timeouts";
            case "retry" -> "retries";
            case "circuitBreaker" -> "circuitBreakers";
            default -> throw new AssertionError("unknown resiliency field " + field);
        };
    }

    private static Map<String, String> metadata(JsonNode component) {
        Map<String, String> values = new TreeMap<>();
        component.path("spec").path("metadata").forEach(m -> {
            if (m.has("value")) {
                values.put(m.path("name").asText(), m.path("value").asText());
            }
        });
        return values;
    }

    private static boolean hasSecretRef(JsonNode component, String name) {
        for (JsonNode m : component.path("spec").path("metadata")) {
            if (m.path("name").asText().equals(name) && m.has("secretKeyRef")) {
                return true;
            }
        }
        return false;
    }

}
