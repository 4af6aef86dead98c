package com.todo.domain;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The migrate command (architecture D7): applies the schema once per deploy, before any function starts, so no
 * function migrates on a cold start. Run as {@code java -cp task-api.jar com.todo.domain.Migrate} with
 * {@code JDBC_URL}, {@code JDBC_USER} and {@code JDBC_PASSWORD} set.
 */
public final class Migrate {

    /** The schema every function shares; local mode adds its own location. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrate() {
    }

    public static void main(String[] args) {
        String url = System.getenv("JDBC_URL");
        if (url == null || url.isBlank()) {
            System.err.println("JDBC_URL is not set (e.g. jdbc:postgresql://postgres:5432/todo)");
            System.exit(2);
        }
        String user = System.getenv().getOrDefault("JDBC_USER", "postgres");
        MigrateResult result = run(url, user, System.getenv().getOrDefault("JDBC_PASSWORD", ""));
        System.out.printf("Schema at version %s (%d migration(s) applied now)%n",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    public static MigrateResult run(String url, String user, String password, String... extraLocations) {
        String[] locations = new String[extraLocations.length + 1];
        locations[0] = LOCATION;
        System.arraycopy(extraLocations, 0, locations, 1, extraLocations.length);
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations(locations)
                .load()
                .migrate();
    }
}
