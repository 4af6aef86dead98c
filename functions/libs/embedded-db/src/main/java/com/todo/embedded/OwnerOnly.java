package com.todo.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Makes a data folder's server its owner's alone: zonky's initdb trusts every local connection to a superuser (so any
 * user of the machine could read the tasks, and run shell commands with {@code COPY … TO PROGRAM}). Here every
 * connection needs a password (SCRAM) that only the owner can read, over TCP on loopback (no Unix socket in a
 * world-writable /tmp), and the application connects as a role that is no superuser and owns only its schema.
 * Applied on every start, so a folder from before, or one whose first start was killed half-way, ends up the same.
 */
final class OwnerOnly {

    /** The application's role: owns the public schema and what is in it, nothing else. */
    static final String APP_USER = "todo";

    private static final String HBA = """
            # written by todo-functions (OwnerOnly): a password for every connection, loopback only
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private OwnerOnly() {
    }

    /** The passwords of a data folder, generated on its first start into a file only its owner can read. */
    record Credentials(String superuser, String app) {

        static Credentials of(Path dataDirectory) throws IOException {
            Path file = file(dataDirectory);
            if (Files.isRegularFile(file)) {
                Properties saved = new Properties();
                try (var in = Files.newInputStream(file)) {
                    saved.load(in);
                }
                return new Credentials(saved.getProperty("superuser"), saved.getProperty("app"));
            }
            Credentials created = new Credentials(random(), random());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, "superuser=" + created.superuser + "\napp=" + created.app + "\n",
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(partial, file);
            return created;
        }

        /** Beside the server's folder (initdb wants that one empty), e.g. {@code .local/postgres-credentials}. */
        static Path file(Path dataDirectory) {
            return dataDirectory.resolveSibling(dataDirectory.getFileName() + "-credentials");
        }

        private static String random() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** Run on the started server as its superuser (trusted on a folder's first start, by password afterwards). */
    static void apply(int port, Path dataDirectory, Credentials credentials) throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                EmbeddedDatabase.USER, credentials.superuser()); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE postgres PASSWORD '" + credentials.superuser() + "'");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "') THEN "
                    + "CREATE ROLE " + APP_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF; END $$");
            s.execute("ALTER ROLE " + APP_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
                    + credentials.app() + "'");
            // a folder from before this role: the tables a superuser created become the application's
            s.execute("""
                    DO $$ DECLARE r record; BEGIN
                      FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                        EXECUTE format('ALTER TABLE public.%I OWNER TO todo', r.tablename);
                      END LOOP;
                      FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
                        EXECUTE format('ALTER SEQUENCE public.%I OWNER TO todo', r.sequencename);
                      END LOOP;
                    END $$""");
            s.execute("ALTER SCHEMA public OWNER TO " + APP_USER);
            Path hba = dataDirectory.resolve("pg_hba.conf");
            if (!Files.readString(hba).equals(HBA)) {
                Files.writeString(hba, HBA, StandardOpenOption.TRUNCATE_EXISTING);
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }
}
