package com.todo.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the team's reference material (real Dapr envelopes, component metadata), kept in {@code shared/reference}
 * beside the repository (as in CI), or where {@code TODO_REFERENCE_DIR} points. Tests that need it are skipped with
 * a message when it is absent.
 */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    static Optional<Path> dir(String name) {
        String override = System.getenv("TODO_REFERENCE_DIR");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override, name)).filter(Files::isDirectory);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("reference").resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
