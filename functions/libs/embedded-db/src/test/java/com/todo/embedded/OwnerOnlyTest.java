package com.todo.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A data folder's server answers its owner alone, and the application is no superuser on it. */
class OwnerOnlyTest {

    @TempDir
    Path home;

    @Test
    void everyOtherWayInIsRefusedAndTheApplicationIsNoSuperuser() throws Exception {
        Path folder = home.resolve("postgres");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(folder)) {
            String url = db.jdbcUrl();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", ""),
                    "the superuser without a password (initdb's trust)");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "guess"));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, db.appUser(), ""));
            assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + db.port())), "no Unix socket in /tmp");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    OwnerOnly.Credentials.file(folder))), "the passwords are the owner's to read");

            try (Connection app = DriverManager.getConnection(url, db.appUser(), db.appPassword());
                 Statement s = app.createStatement()) {
                assertEquals("todo", db.appUser());
                assertFalse(single(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").equals("t"));
                SQLException shell = assertThrows(SQLException.class,
                        () -> s.execute("COPY (SELECT 1) TO PROGRAM 'id'"));
                assertTrue(shell.getMessage().contains("permission denied")
                        || shell.getMessage().contains("must be superuser"), shell.getMessage());
                s.execute("CREATE TABLE mine (id int)");
            }
            // what a superuser created in a folder from before the application's role
            try (Connection su = DriverManager.getConnection(url, "postgres",
                    OwnerOnly.Credentials.of(folder).superuser()); Statement s = su.createStatement()) {
                s.execute("CREATE TABLE legacy (id serial)");
                assertEquals("", single(s, "SHOW unix_socket_directories"));
                assertEquals("on", single(s, "SHOW fsync"), "durable");
                assertEquals("on", single(s, "SHOW synchronous_commit"), "durable");
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(folder);
             Connection app = DriverManager.getConnection(again.jdbcUrl(), again.appUser(), again.appPassword());
             Statement s = app.createStatement()) {
            assertEquals("todo", single(s, "SELECT tableowner FROM pg_tables WHERE tablename = 'legacy'"));
            s.execute("INSERT INTO legacy DEFAULT VALUES");
            assertEquals("0", single(s, "SELECT count(*) FROM mine"), "the data survived the restart");
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
