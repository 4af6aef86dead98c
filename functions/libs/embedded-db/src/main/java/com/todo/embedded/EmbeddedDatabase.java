package com.todo.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server run from the zonky binaries: the database of local mode and of the tests.
 * Production never uses it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";

    private static EmbeddedDatabase shared;

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();
    /** The application's role and password on a data folder's server; the superuser on a test server. */
    private final String appUser;
    private final String appPassword;
    private final Path credentialsFile;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String appUser, String appPassword, Path credentialsFile) {
        this.postgres = postgres;
        this.appUser = appUser;
        this.appPassword = appPassword;
        this.credentialsFile = credentialsFile;
    }

    /**
     * Starts a server whose data is kept in {@code dataDirectory} across restarts (initialised when empty), durable as
     * PostgreSQL is by default: a commit it acknowledged survives the server and the application being killed (and an
     * OS crash). A server a killed process left running on this folder is stopped first. The caller closes it: it has
     * no shutdown hook of its own, so that it can outlive the application that uses it.
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /**
     * {@link #start(Path)} on {@code port} (0: any free one): a server started again after a crash keeps the address
     * its clients were given.
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        EmbeddedPostgres postgres = null;
        try {
            Files.createDirectories(dataDirectory);
            StaleServer.stop(dataDirectory);
            OwnerOnly.Credentials credentials = OwnerOnly.Credentials.of(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port != 0) {
                builder.setPort(port);
            }
            postgres = builder
                    .setDataDirectory(dataDirectory)
                    // zonky's own connections (its start-up check) sign in like everyone else
                    .setConnectConfig("password", credentials.superuser())
                    // no Unix socket: its default place, /tmp, lets every local user connect
                    .setServerConfig("unix_socket_directories", "")
                    .setCleanDataDirectory(false)
                    // zonky starts postgres with -F (no fsync) and synchronous_commit=off, fit for throw-away test
                    // servers; these come after them on the command line and win
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // its owner stops it after the application that uses it (local mode's shutdown hook); a hook of
                    // its own stopped it during the application's last outbox flush, which then waited out the pool
                    .setRegisterShutdownHook(false)
                    .start();
            OwnerOnly.apply(postgres.getPort(), dataDirectory, credentials);
            return new EmbeddedDatabase(postgres, OwnerOnly.APP_USER, credentials.app(),
                    OwnerOnly.Credentials.file(dataDirectory));
        } catch (IOException | SQLException e) {
            closeQuietly(postgres);
            throw new IllegalStateException("Embedded PostgreSQL did not start in " + dataDirectory + ": " + e, e);
        }
    }

    /** The server process running on a data folder, if any (its postmaster; the backends are its children). */
    public static java.util.Optional<ProcessHandle> serverProcess(Path dataDirectory) {
        try {
            return StaleServer.find(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the start failed already; that is the error to report
            }
        }
    }

    /** The role the application signs in as: on a data folder's server no superuser, with its password. */
    public String appUser() {
        return appUser;
    }

    public String appPassword() {
        return appPassword;
    }

    /** Where a data folder's passwords are kept (null for a test server, which has none). */
    public Path credentialsFile() {
        return credentialsFile;
    }

    /** A setting of the running server ({@code SHOW name}). */
    public String setting(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read " + name, e);
        }
    }

    /**
     * One throw-away server per JVM for tests; stopped and deleted when the JVM exits. Fast, not durable (zonky's
     * defaults: no fsync, asynchronous commit): nothing in it outlives the test run.
     */
    public static synchronized EmbeddedDatabase shared() {
        if (shared == null) {
            try {
                shared = new EmbeddedDatabase(EmbeddedPostgres.builder().start(), USER, "", null);
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
        }
        return shared;
    }

    /** JDBC URL of the default {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    /** Creates an empty database (so test classes do not see each other's rows) and returns its JDBC URL. */
    public String newDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /**
     * Makes a database refuse connections (and ends the open ones), or accept them again: a database outage for
     * tests. {@code jdbcUrl} is one returned by {@link #newDatabase()}.
     */
    public void setAvailable(String jdbcUrl, boolean available) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + available);
            if (!available) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not change database " + name, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
