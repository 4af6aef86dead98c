package com.todo.store;

import com.todo.embedded.EmbeddedDatabase;
import com.todo.function.ReadinessCheck;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseReadinessTest {

    @Test
    void readyWhilePostgresAnswersNotWhenItIsUnreachable() throws IOException {
        try (ApplicationContext context = context(EmbeddedDatabase.shared().newDatabase())) {
            ReadinessCheck check = context.getBean(DatabaseReadiness.class);
            assertEquals("database", check.name());
            assertTrue(check.ready());
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ApplicationContext context = context("jdbc:postgresql://localhost:" + closed + "/todo")) {
            assertFalse(context.getBean(DatabaseReadiness.class).ready());
        }
    }

    private static ApplicationContext context(String url) {
        return ApplicationContext.run(Map.of("datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER, "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver",
                "datasources.default.initialization-fail-timeout", -1, "datasources.default.connection-timeout", 1000,
                "todo.warmup.enabled", false));
    }
}
