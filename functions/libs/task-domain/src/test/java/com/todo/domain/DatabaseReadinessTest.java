package com.todo.domain;

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

    /** A server that accepts connections and never answers holds the pool for its whole connection timeout. */
    @Test
    void aProbeGetsItsAnswerWithinTheWaitWhileThePoolWaitsLonger() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             ApplicationContext context = context("jdbc:postgresql://localhost:" + silent.getLocalPort() + "/todo",
                     Map.of("datasources.default.connection-timeout", 20_000, "todo.readiness.database-wait", "300ms"))) {
            ReadinessCheck check = context.getBean(DatabaseReadiness.class);
            for (int probe = 0; probe < 3; probe++) {
                long start = System.nanoTime();
                assertFalse(check.ready());
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 2_000, "probe " + probe + " took " + millis + " ms");
            }
        }
    }

    private static ApplicationContext context(String url) {
        return context(url, Map.of());
    }

    private static ApplicationContext context(String url, Map<String, Object> more) {
        Map<String, Object> properties = new java.util.HashMap<>(more);
        properties.putIfAbsent("datasources.default.connection-timeout", 1000);
        properties.putAll(Map.of("datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER, "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver",
                "datasources.default.initialization-fail-timeout", -1, "todo.warmup.enabled", false));
        return ApplicationContext.run(properties);
    }
}
