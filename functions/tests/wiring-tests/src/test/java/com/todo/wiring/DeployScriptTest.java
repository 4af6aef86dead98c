package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/deploy.sh --dry-run works with no cluster and no kn, and prints the commands in order. */
class DeployScriptTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run deploy(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", Repo.path("scripts/deploy.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", "/usr/bin:/bin"); // no kubectl or kn there
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void dryRunPrintsComponentsThenTheMigrationThenEveryService() throws Exception {
        Run run = deploy("--dry-run", "--registry", "registry.example/todo", "--namespace", "prod", "--tag", "1.2.3",
                "--with-email");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().filter(l -> !l.startsWith("#")).toList();
        assertTrue(lines.get(0).startsWith("kubectl apply --namespace prod -f dapr-components/components/ "
                + "-f dapr-components/optional/binding-email.yaml -f dapr-components/resiliency.yaml"), lines.get(0));
        assertTrue(lines.get(1).startsWith("kubectl delete job todo-migrate --namespace prod"), lines.get(1));
        assertTrue(lines.get(2).startsWith("kubectl apply --namespace prod -f "), lines.get(2));
        assertTrue(lines.get(3).contains("--for=condition=complete") && lines.get(3).contains("job/todo-migrate"));
        List<String> services = Repo.deployables();
        assertEquals(4 + services.size(), lines.size(), run.out());
        for (String service : services) {
            String line = lines.stream().filter(l -> l.startsWith("kn service create " + service + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kn command for " + service));
            assertTrue(line.contains("--namespace prod") && line.endsWith("--force "), line);
            String file = line.replaceAll(".*--filename (\\S+).*", "$1");
            String rendered = Repo.text(java.nio.file.Path.of(file));
            assertTrue(rendered.contains("image: registry.example/todo/" + service + ":1.2.3"), rendered);
            // --with-email: the binding's callers are told its name, the others are not
            assertEquals(service.equals("task-api") || service.equals("reminder-due"),
                    Repo.yaml(java.nio.file.Path.of(file)).toString().contains(
                            "{\"name\":\"TODO_EMAIL_BINDING\",\"value\":\"email\"}"), rendered);
        }
        String configuration = lines.get(0).replaceAll(".* -f (\\S+configuration\\.yaml).*", "$1");
        JsonNode policies = Repo.yaml(java.nio.file.Path.of(configuration)).path("spec").path("accessControl").path("policies");
        assertEquals(4, policies.size());
        for (JsonNode policy : policies) {
            assertEquals("prod", policy.path("namespace").asText(), "daprd refuses a policy without its namespace");
        }
        String job = lines.get(2).replaceAll(".* -f (\\S+).*", "$1");
        assertTrue(Repo.text(java.nio.file.Path.of(job)).contains("image: registry.example/todo/task-api:1.2.3"));
    }

    @Test
    void badArgumentsAreRefusedWithAReason() throws Exception {
        Run missing = deploy("--dry-run");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--registry is required"), missing.err());
        Run unknown = deploy("--registry", "r", "--bogus");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown argument: --bogus"));
        Run noKn = deploy("--registry", "r");
        assertEquals(1, noKn.exit(), "without --dry-run it needs kubectl and kn");
        assertTrue(noKn.err().contains("is not installed"), noKn.err());
    }
}
