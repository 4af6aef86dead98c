package com.todo.platform;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of dapr-components/ that cannot be the cluster's on one machine, replaced: the Kubernetes secret
 * store becomes a local file store of the same name (holding the Kafka and PostgreSQL secrets of this machine), and
 * the Configuration loses its accessControl (its policies name SPIFFE identities that only Dapr's mTLS gives).
 * Every other component is copied unchanged; resiliency and subscriptions are read from the repository itself.
 */
public record LocalOverlay(Path components, Path configuration, List<Path> resources, List<String> replaced) {

    public static LocalOverlay write(Path repo, Path dir, String pgxConnection, KafkaBroker kafka) {
        return write(repo, dir, pgxConnection, kafka, List.of(), Map.of());
    }

    /**
     * @param optional     names of dapr-components/optional/ files to apply too (as deploy.sh's flags do), unchanged
     * @param moreSecrets  secrets those read, by name
     */
    public static LocalOverlay write(Path repo, Path dir, String pgxConnection, KafkaBroker kafka, List<String> optional,
                                     Map<String, Map<String, String>> moreSecrets) {
        Path components = dir.resolve("components");
        List<String> replaced = new ArrayList<>();
        ClusterTopology.mkdirs(components);
        try (var old = Files.list(components)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
            Path secrets = dir.resolve("secrets.json");
            Map<String, Map<String, String>> store = new LinkedHashMap<>();
            store.put("postgres", Map.of("dapr-connection-string", pgxConnection));
            store.put("kafka", Map.of("brokers", kafka.bootstrap(), "username", KafkaBroker.APP_USER, "password",
                    kafka.password(KafkaBroker.APP_USER)));
            store.putAll(moreSecrets);
            ClusterTopology.writePrivate(secrets, new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(store) + "\n");
            try (var repoComponents = Files.list(repo.resolve("dapr-components/components"))) {
                for (Path file : repoComponents.sorted().toList()) {
                    String text = Files.readString(file);
                    if (text.contains("type: secretstores.kubernetes")) {
                        replaced.add(repo.relativize(file) + " -> secretstores.local.file todo-secrets (" + secrets + ")");
                        continue;
                    }
                    Files.writeString(components.resolve(file.getFileName()), text);
                }
            }
            for (String name : optional) {
                Path file = repo.resolve("dapr-components/optional/" + name);
                Files.writeString(components.resolve(file.getFileName()), Files.readString(file));
                replaced.add("+ " + repo.relativize(file) + " (as a deploy with its flag applies it)");
            }
            Files.writeString(components.resolve("secretstore-local.yaml"), String.join("\n",
                    "apiVersion: dapr.io/v1alpha1",
                    "kind: Component",
                    "metadata:",
                    "  name: todo-secrets",
                    "spec:",
                    "  type: secretstores.local.file",
                    "  version: v1",
                    "  metadata:",
                    "    - {name: secretsFile, value: \"" + secrets + "\"}",
                    "    - {name: multiValued, value: \"true\"}", ""));
            String text = Files.readString(repo.resolve("dapr-components/configuration.yaml"));
            int acl = text.indexOf("\n  accessControl:");
            if (acl < 0) {
                throw new IllegalStateException("dapr-components/configuration.yaml has no accessControl to replace");
            }
            Path configuration = dir.resolve("configuration.yaml");
            Files.writeString(configuration, text.substring(0, acl + 1));
            replaced.add("dapr-components/configuration.yaml -> without accessControl (needs mTLS identities): "
                    + configuration);
            return new LocalOverlay(components, configuration, List.of(components, repo.resolve("dapr-components"),
                    repo.resolve("dapr-components/subscriptions")), List.copyOf(replaced));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
