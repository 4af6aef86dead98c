package com.todo.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The documents of dapr-components/ that cannot be the cluster's on one machine, replaced: the Kubernetes secret
 * store becomes a local file store of the same name (holding the Kafka and PostgreSQL secrets of this machine), and
 * the Configuration loses its accessControl (its policies name SPIFFE identities that only Dapr's mTLS gives).
 * Every other component is copied unchanged; resiliency and subscriptions are read from the repository itself.
 */
public record LocalOverlay(Path components, Path configuration, List<Path> resources, List<String> replaced) {

    public static LocalOverlay write(Path repo, Path dir, String pgxConnection, KafkaBroker kafka) {
        Path components = dir.resolve("components");
        List<String> replaced = new ArrayList<>();
        ClusterTopology.mkdirs(components);
        try (var old = Files.list(components)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
            Path secrets = dir.resolve("secrets.json");
            ClusterTopology.writePrivate(secrets, "{\"postgres\": {\"dapr-connection-string\": \"" + pgxConnection
                    + "\"},\n \"kafka\": {\"brokers\": \"" + kafka.bootstrap() + "\", \"username\": \""
                    + KafkaBroker.APP_USER + "\", \"password\": \"" + kafka.password(KafkaBroker.APP_USER) + "\"}}\n");
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
