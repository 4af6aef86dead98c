package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The repository's deployment files, read as data. */
final class Repo {

    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static List<Path> yamlFiles(String dir) {
        try (Stream<Path> files = Files.list(path(dir))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable YAML " + file, e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The deployables: the modules directly in functions/ that build a runnable jar (they name a main class), but
     * local mode. */
    static List<String> deployables() {
        try (Stream<Path> modules = Files.list(path("functions"))) {
            return modules.filter(m -> Files.exists(m.resolve("pom.xml")))
                    .filter(m -> text(m.resolve("pom.xml")).contains("<exec.mainClass>"))
                    .map(m -> m.getFileName().toString())
                    .filter(name -> !name.equals("local-runtime"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The team's reference material beside the repository (as in CI), if present. */
    static Optional<Path> reference(String name) {
        for (Path p = ROOT; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("reference").resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Dapr/Go style durations as used in these files: 500ms, 30s, 1m, 2h. */
    static Duration duration(String text) {
        String t = text.strip();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }
}
