package com.todo.local;

import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventType;
import com.todo.function.EventRoutes;
import com.todo.domain.Migrate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Local mode (architecture D8): the whole system — task-api, every event function and the gateway — in one
 * application context on one port, on embedded PostgreSQL whose data is kept in the data folder (or an external
 * database when a JDBC URL is given). What daprd provides is replaced by local adapters chosen by configuration:
 * pub/sub ({@link LocalBroker}, reading the cluster's Subscription files), jobs ({@link LocalJobs}), the state store
 * ({@link LocalStateStore}), loopback service invocation and a logging output binding. Migrations, including the
 * local-mode tables, are applied at start here only; a random app token guards the internal routes.
 */
public final class LocalSystem implements AutoCloseable {

    /** File in the data folder that holds the generated token secret. */
    public static final String SECRET_FILE = "jwt-secret";

    /** The local-mode tables (messages, dead letters, jobs, state), applied only here. */
    static final String LOCAL_MIGRATIONS = "classpath:db/local";

    /** Every function of the catalog: local mode serves them all. */
    private static final Set<String> FUNCTIONS = Arrays.stream(EventType.values()).flatMap(t -> t.handler().stream())
            .collect(Collectors.toCollection(TreeSet::new));
    /** The deployables the gateway calls: task-api (its outbox) and the functions. */
    private static final List<String> GATEWAY_TARGETS = Stream.concat(Stream.of("task-api"), FUNCTIONS.stream())
            .toList();

    private final EmbeddedDatabase database;
    private final ApplicationContext context;
    private final Path dataDir;
    private final String jdbcUrl;

    private LocalSystem(EmbeddedDatabase database, ApplicationContext context, Path dataDir, String jdbcUrl) {
        this.database = database;
        this.context = context;
        this.dataDir = dataDir;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * @param dataDir  where the embedded database and the generated secret live
     * @param port     HTTP port (0 for a free one)
     * @param jdbcUrl  an external database instead of the embedded one (null: embedded)
     * @param secret   token secret (null: the one in the data folder, generated on first start)
     */
    public static LocalSystem start(Path dataDir, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
                                    String secret) {
        Path dir = dataDir.toAbsolutePath().normalize();
        EmbeddedDatabase database = jdbcUrl == null ? EmbeddedDatabase.start(dir.resolve("postgres")) : null;
        try {
            String url = database != null ? database.jdbcUrl() : jdbcUrl;
            String user = database != null ? database.appUser() : jdbcUser;
            String password = database != null ? database.appPassword() : jdbcPassword;
            int httpPort = port == 0 ? freePort() : port;
            String self = "http://localhost:" + httpPort;
            String appToken = randomToken();
            Map<String, Object> properties = new HashMap<>();
            properties.put("datasources.default.url", url);
            properties.put("datasources.default.username", user);
            properties.put("datasources.default.password", password);
            // micronaut-flyway migrates when the data source is created: the shared schema and local mode's tables
            properties.put("flyway.datasources.default.enabled", true);
            properties.put("flyway.datasources.default.locations", List.of(Migrate.LOCATION, LOCAL_MIGRATIONS));
            properties.put("todo.jwt.secret", secret != null ? secret : secret(dir));
            properties.put("micronaut.server.port", httpPort);
            // what daprd provides in the cluster, replaced by local adapters (D8)
            properties.put("todo.events.publisher", "local");
            properties.put("todo.jobs.scheduler", "local");
            properties.put("todo.state.store", "local");
            properties.put("todo.notifications.binding", "log");
            // one log line per event: the function's own; the gateway's loopback forward is logged only when it fails
            properties.put("logger.levels.com.todo.gateway.ForwardController", "WARN");
            properties.put("todo.local.base-url", self);
            properties.put("todo.local.subscriptions", subscriptionsDir().toString());
            // service invocation of the gateway and the gateway's calls to the functions are loopback calls
            properties.put("todo.schedules.url", self);
            properties.put("todo.app-api-token", appToken);
            properties.put("todo.schedules.token", appToken);
            for (String function : GATEWAY_TARGETS) {
                properties.put("todo.gateway.functions." + function + ".url", self);
            }
            ApplicationContext context = Micronaut.build(new String[0])
                    .mainClass(LocalSystem.class)
                    .environments("local")
                    .properties(properties)
                    .banner(false)
                    .start();
            context.getBean(DataSource.class); // migrated now, or the start fails here
            Set<String> served = context.getBean(EventRoutes.class).functions();
            if (!served.equals(FUNCTIONS)) {
                context.close();
                throw new IllegalStateException("local mode serves the functions " + served + ", the catalog names "
                        + FUNCTIONS + ": a function module is missing from local-runtime's dependencies");
            }
            return new LocalSystem(database, context, dir, url);
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    public int port() {
        return context.getBean(EmbeddedServer.class).getPort();
    }

    /** A bean of the running system (for tests and tools). */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the data lives, for the start-up message (the embedded data folder or the external URL). */
    public String dataLocation() {
        return database != null ? dataDir.resolve("postgres").toString() : jdbcUrl;
    }

    /** How to reach the database, for the start-up message; its password stays in the credentials file. */
    public String databaseLocation() {
        return database != null ? database.jdbcUrl() + " (user " + database.appUser() + ", password in "
                + database.credentialsFile() + ")" : jdbcUrl;
    }

    @Override
    public void close() {
        try {
            // the server first: Micronaut's own shutdown hook stops it too, and stopping the server stops the context.
            // Closing the context first took the two locks in the opposite order and deadlocked on Ctrl-C.
            if (context.isRunning()) {
                context.getBean(EmbeddedServer.class).stop();
            }
            context.close();
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    /** The cluster's Subscription files: {@code TODO_SUBSCRIPTIONS_DIR}, or dapr-components/subscriptions above here. */
    public static Path subscriptionsDir() {
        String configured = System.getenv("TODO_SUBSCRIPTIONS_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("dapr-components").resolve("subscriptions");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("dapr-components/subscriptions not found: run from the repository or set "
                + "TODO_SUBSCRIPTIONS_DIR");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret kept in the data folder, generated (256 random bits, owner-only file) on first use. */
    static String secret(Path dataDir) {
        Path file = dataDir.resolve(SECRET_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                Path tmp = Files.createTempFile(dataDir, SECRET_FILE, ".tmp");
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions apply
                }
                Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                Files.move(tmp, file);
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the token secret " + file, e);
        }
    }
}
