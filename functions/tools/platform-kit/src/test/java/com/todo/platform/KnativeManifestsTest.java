package com.todo.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Knative Services as a cluster would admit them (scripts/check-manifests.sh): Knative Serving's own defaulting
 * and validation on a strictly decoded Service, and the Dapr sidecar injector's own annotation list. What
 * scripts/deploy.sh renders passes, and each kind of mistake fails it.
 */
class KnativeManifestsTest {

    private static Path repo;

    private record Run(int exit, String out) {
    }

    @BeforeAll
    static void platform() {
        repo = RealPlatform.required().repository();
    }

    @Test
    void whatDeployRendersPassesKnativesValidationAndTheInjectorsAnnotations() throws Exception {
        Run run = run(List.of("bash", "scripts/deploy.sh", "--dry-run", "--registry", "r.example/todo",
                "--namespace", "prod", "--tag", "1.2.3"));
        assertEquals(0, run.exit(), run.out());
        List<String> checked = run.out().lines().filter(l -> l.startsWith("# ") && l.endsWith(": ok")).toList();
        assertEquals(ClusterTopology.DEPLOYABLES.size(), checked.size(), run.out());
        for (String service : ClusterTopology.DEPLOYABLES) {
            assertTrue(checked.stream().anyMatch(l -> l.endsWith("/" + service + ".yaml: ok")), run.out());
        }
    }

    @Test
    void theRepositorysServicesPassAsWritten() throws Exception {
        Run run = check(List.of());
        assertEquals(0, run.exit(), run.out());
        assertEquals(ClusterTopology.DEPLOYABLES.size(), run.out().lines().filter(l -> l.endsWith(": ok")).count(),
                run.out());
    }

    @Test
    void anUnknownFieldFailsWhereKnAndKubectlWouldDropIt(@TempDir Path dir) throws Exception {
        Path broken = broken(dir, "containerConcurrency: 50", "containerConcurency: 50");
        Run run = check(List.of(broken.toString()));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("unknown field \"containerConcurency\""), run.out());
    }

    @Test
    void aMisspelledOrUnparsableDaprAnnotationFails(@TempDir Path dir) throws Exception {
        Path broken = broken(dir, "dapr.io/app-id: task-created", "dapr.io/app-ide: task-created",
                "dapr.io/sidecar-memory-limit: 128Mi", "dapr.io/sidecar-memory-limit: 128MB",
                "dapr.io/metrics-port: \"19090\"", "dapr.io/metrics-port: \"fifty\"");
        Run run = check(List.of(broken.toString()));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("dapr.io/app-ide: not an annotation the Dapr sidecar injector reads"), run.out());
        assertTrue(run.out().contains("dapr.io/sidecar-memory-limit: \"128MB\" is not a resource quantity"), run.out());
        assertTrue(run.out().contains("dapr.io/metrics-port: \"fifty\" is not an integer"), run.out());
    }

    @Test
    void whatKnativesWebhookRefusesOrWarnsAboutFails(@TempDir Path dir) throws Exception {
        Path refused = broken(dir, "autoscaling.knative.dev/max-scale: \"5\"", "autoscaling.knative.dev/max-scale: \"-1\"");
        Path insecure = broken(dir, "            seccompProfile: {type: RuntimeDefault}\n", "");
        Run run = check(List.of(refused.toString(), insecure.toString()));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith(refused + ": Knative refuses it: ")
                && l.contains("max-scale")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith(insecure + ": Knative warns: ")
                && l.contains("securityContext.seccompProfile")), run.out());
    }

    @Test
    void theClustersOwnConfigurationIsHeldToo(@TempDir Path config) throws Exception {
        // a cluster that caps a request at 30 s: every Service asks for 60 (timeoutSeconds)
        Files.writeString(config.resolve("config-defaults.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: config-defaults, namespace: knative-serving}", "data:",
                "  revision-timeout-seconds: \"30\"", "  max-revision-timeout-seconds: \"30\"", ""));
        Run run = run(List.of("bash", "scripts/check-manifests.sh", "--config", config.toString(),
                repo.resolve("knative/task-created.yaml").toString()));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("Knative refuses it: expected 0 <= 60 <= 30: spec.template.spec.timeoutSeconds"),
                run.out());
    }

    /** task-created's Service with each {@code from} replaced by the {@code to} after it. */
    private static Path broken(Path dir, String... fromTo) throws IOException {
        String text = Files.readString(repo.resolve("knative/task-created.yaml"));
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(text.contains(fromTo[i]), "knative/task-created.yaml has " + fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        Path file = Files.createTempFile(dir, "task-created-", ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private static Run check(List<String> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/check-manifests.sh"));
        command.addAll(files);
        return run(command);
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "check-manifests.sh finished");
        return new Run(p.exitValue(), out);
    }
}
