package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One Knative Service per deployable, loaded with the Knative client model, carrying what Dapr and D3 need. */
class KnativeServicesTest {

    private static Service load(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Repo.path("knative/" + name + ".yaml"))) {
            return Serialization.unmarshal(in, Service.class);
        }
    }

    @Test
    void everyDeployableHasAServiceWhoseNameIsItsAppId() throws IOException {
        List<String> deployables = Repo.deployables();
        assertEquals(List.of("event-gateway", "recurring-scheduled", "reminder-due", "task-api", "task-completed",
                "task-created", "task-deleted", "task-updated"), deployables);
        for (String name : deployables) {
            Service service = load(name);
            assertEquals("serving.knative.dev/v1", service.getApiVersion());
            assertEquals(name, service.getMetadata().getName());
            Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
            assertEquals("true", annotations.get("dapr.io/enabled"), name);
            assertEquals(name, annotations.get("dapr.io/app-id"), name + ": app-id = service name");
            assertEquals("todo-config", annotations.get("dapr.io/config"), name);
            assertEquals("19090", annotations.get("dapr.io/metrics-port"), name + ": off queue-proxy's 9090");
            Container container = service.getSpec().getTemplate().getSpec().getContainers().get(0);
            if (name.equals("event-gateway")) {
                // the one app daprd delivers to (subscriptions, job callbacks): on the container port, not queue-proxy's
                assertEquals("8080", annotations.get("dapr.io/app-port"));
                assertEquals("8080", String.valueOf(container.getPorts().get(0).getContainerPort()));
                assertNotNull(annotations.get("dapr.io/app-max-concurrency"), name);
                assertEquals("todo-app-token", annotations.get("dapr.io/app-token-secret"), name);
            } else {
                // its sidecar never calls it (the gateway does, by URL): without an app port daprd neither waits for
                // the app's port nor asks it for /dapr/config, so it is ready while the JVM still starts
                for (String appChannel : List.of("dapr.io/app-port", "dapr.io/app-max-concurrency",
                        "dapr.io/app-token-secret", "dapr.io/app-protocol")) {
                    assertNull(annotations.get(appChannel), name + ": " + appChannel);
                }
            }
            // Knative's queue-proxy probes every 50 ms while a pod starts only when periodSeconds is 0 (unset); with a
            // period, the pod waits for the kubelet's next probe (pkg/queue/readiness/probe.go, shouldProbeAggressively)
            assertEquals(null, container.getReadinessProbe().getPeriodSeconds(), name + ": readiness periodSeconds");
            assertTrue(container.getReadinessProbe().getHttpGet().getPath().startsWith("/health"), name);
            assertTrue(container.getLivenessProbe().getHttpGet().getPath().startsWith("/health"), name);
            assertNotNull(container.getResources().getRequests().get("memory"), name);
            assertNotNull(container.getResources().getLimits().get("memory"), name);
            assertTrue(container.getEnv().stream().map(EnvVar::getName).anyMatch("JAVA_TOOL_OPTIONS"::equals), name);
            assertTrue(container.getImage().endsWith("/" + name + ":latest"), name + " image placeholder");
        }
    }

    @Test
    void theImageAndEveryServiceRunTheFlagsTheBenchmarkMeasured() throws IOException {
        String tuned = String.join(" ", com.todo.bench.Bench.TUNED_FLAGS);
        String aot = "-XX:AOTMode=on -XX:AOTCache=/app/app.aot";
        String dockerfile = Repo.text(Repo.path("knative/Dockerfile"));
        assertTrue(dockerfile.contains("ARG TUNED=\"" + tuned + "\""), "Dockerfile ARG TUNED = " + tuned);
        assertTrue(dockerfile.contains("ENV JAVA_TOOL_OPTIONS=\"$TUNED " + aot + "\""), "Dockerfile runs on its cache");
        // the training run is the benchmark's own (com.todo.bench.Train), writing the cache the ENV points to
        assertTrue(dockerfile.contains("java -cp /tmp/bench.jar " + com.todo.bench.Train.class.getName()
                + " ${FUNCTION} /app/app.jar /app/app.aot $TUNED"), "training run");
        for (String name : Repo.deployables()) {
            Container container = load(name).getSpec().getTemplate().getSpec().getContainers().get(0);
            String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                    .map(EnvVar::getValue).findFirst().orElseThrow();
            // scripts/run-cluster.sh and the end-to-end tests start the jars with the images' flags, less the cache
            for (String flag : com.todo.platform.ClusterMain.IMAGE_FLAGS) {
                assertTrue(List.of(options.split(" ")).contains(flag), name + " runs " + flag);
            }
            assertEquals(tuned + " " + aot, options, name);
        }
    }

    @Test
    void functionsScaleToZeroAndTheGatewayStaysUpOnCpu() throws IOException {
        for (String name : Repo.deployables()) {
            Service service = load(name);
            Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
            Map<String, String> labels = service.getMetadata().getLabels();
            if (name.equals("event-gateway")) {
                assertEquals("1", annotations.get("autoscaling.knative.dev/min-scale"));
                assertEquals("hpa.autoscaling.knative.dev", annotations.get("autoscaling.knative.dev/class"));
                assertEquals("cpu", annotations.get("autoscaling.knative.dev/metric"));
            } else {
                assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"), name);
            }
            if (!name.equals("task-api")) {
                assertEquals("cluster-local", labels.get("networking.knative.dev/visibility"),
                        name + ": a label, not an annotation");
            }
            assertTrue(service.getMetadata().getAnnotations() == null
                    || !service.getMetadata().getAnnotations().containsKey("networking.knative.dev/visibility"));
        }
    }

    @Test
    void databaseFunctionsAndOnlyThemGetTheDatabase() throws IOException {
        for (String name : Repo.deployables()) {
            boolean hasDb = load(name).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .anyMatch(e -> e.getName().equals("JDBC_URL"));
            boolean isDbFunction = List.of("task-api", "reminder-due", "recurring-scheduled").contains(name);
            assertEquals(isDbFunction, hasDb, name);
            assertEquals(isDbFunction, Repo.text(Repo.path("functions/" + name + "/pom.xml")).contains("<artifactId>task-domain</artifactId>"),
                    name + ": only database functions depend on the store");
        }
    }

    static String env(JsonNode service, String name) {
        for (JsonNode e : service.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }
}
