package com.todo.domain;

import com.todo.embedded.EmbeddedDatabase;
import com.todo.function.StartupWarmups;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.config.SchemaGenerator;
import io.micronaut.data.model.runtime.RuntimeEntityRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseWarmupTest {

    @Test
    void startupOpensThePoolsFirstConnection() throws Exception {
        String url = EmbeddedDatabase.shared().newDatabase();
        try (ApplicationContext context = ApplicationContext.run(Map.of("datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER, "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver"))) {
            StartupWarmups warmups = context.getBean(StartupWarmups.class);
            assertTrue(warmups.awaitFinished(Duration.ofSeconds(20)));
            assertTrue(warmups.done().contains("DatabaseWarmup"), warmups.done()::toString);
        }
    }

    @Test
    void startupDoesNotBuildMicronautDatasEntityRegistryOnTheMainThread() {
        String url = EmbeddedDatabase.shared().newDatabase();
        try (ApplicationContext context = ApplicationContext.run(Map.of("datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER, "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver", "todo.warmup.enabled", false))) {
            assertEquals(NoSchemaGenerator.class, context.getBeanDefinition(SchemaGenerator.class).getBeanType(),
                    "Micronaut Data's schema generator is replaced: the schema is Flyway's");
            assertFalse(context.getActiveBeanRegistrations(RuntimeEntityRegistry.class).iterator().hasNext(),
                    "the generator created the entity registry at start; the first query does now");
        }
    }
}
