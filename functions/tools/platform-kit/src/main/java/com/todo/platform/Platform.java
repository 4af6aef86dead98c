package com.todo.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where scripts/build-platform.sh put the real platform: daprd and the scheduler built from platform/go.mod, the
 * Kafka broker's jars and the API fuzzer (schemathesis), in {@code $TODO_PLATFORM_CACHE} (default {@code ~/.cache/todo-functions}), one folder per
 * version of platform/versions.env.
 */
public final class Platform {

    private final Path repository;
    private final Map<String, String> versions;
    private final Path cache;

    private Platform(Path repository, Map<String, String> versions, Path cache) {
        this.repository = repository;
        this.versions = versions;
        this.cache = cache;
    }

    /** The platform of the repository that contains the working directory. */
    public static Platform locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("platform/versions.env"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("platform/versions.env not found above " + Path.of("").toAbsolutePath());
        }
        String configured = System.getenv("TODO_PLATFORM_CACHE");
        Path cache = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "todo-functions");
        return new Platform(dir, readEnvFile(dir.resolve("platform/versions.env")), cache);
    }

    static Map<String, String> readEnvFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                int eq = trimmed.indexOf('=');
                if (!trimmed.startsWith("#") && eq > 0) {
                    values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    public Path repository() {
        return repository;
    }

    public String version(String name) {
        String value = versions.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not in platform/versions.env");
        }
        return value;
    }

    public Path daprd() {
        return cache.resolve("dapr-" + version("DAPR_VERSION")).resolve("daprd");
    }

    public Path scheduler() {
        return cache.resolve("dapr-" + version("DAPR_VERSION")).resolve("scheduler");
    }

    public Path kafkaLib() {
        return cache.resolve("kafka-" + version("KAFKA_VERSION")).resolve("lib");
    }

    /** The schemathesis command line ({@code st}) in its virtualenv. */
    public Path schemathesis() {
        return cache.resolve("schemathesis-" + version("SCHEMATHESIS_VERSION")).resolve("bin/st");
    }

    /** What is not built yet; empty when everything is there. */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (Path binary : List.of(daprd(), scheduler())) {
            if (!Files.isExecutable(binary)) {
                missing.add(binary.toString());
            }
        }
        if (!Files.isRegularFile(kafkaLib().resolveSibling("complete"))) {
            missing.add(kafkaLib().toString());
        }
        if (!Files.isRegularFile(schemathesis().getParent().resolveSibling("complete"))) {
            missing.add(schemathesis().getParent().getParent().toString());
        }
        return missing;
    }

    /** Fails with what to run when a piece is missing. */
    public Platform requireBuilt() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the real platform is not built (missing " + String.join(", ", missing)
                    + "): run scripts/build-platform.sh");
        }
        return this;
    }
}
