package com.todo.domain;

import com.todo.embedded.EmbeddedDatabase;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrateTest {

    @Test
    void migratesAnEmptyDatabaseOnceAndIsANoOpAfterwards() throws Exception {
        String url = EmbeddedDatabase.shared().newDatabase();
        MigrateResult first = Migrate.run(url, EmbeddedDatabase.USER, "");
        assertTrue(first.migrationsExecuted >= 1);
        assertEquals(0, Migrate.run(url, EmbeddedDatabase.USER, "").migrationsExecuted);

        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
             ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertTrue(tables.containsAll(List.of("tasks", "reminders", "notifications", "outbox", "inbox")), tables::toString);
    }
}
