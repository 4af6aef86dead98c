package com.todo.taskapi;

import com.todo.embedded.EmbeddedDatabase;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtSecretRequiredTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "only-31-bytes-long-secret-01234"})
    void refusesToStartWithoutASecretOfAtLeast32Bytes(String secret) {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(Map.of(
                "datasources.default.url", EmbeddedDatabase.shared().jdbcUrl(),
                "datasources.default.username", EmbeddedDatabase.USER,
                "todo.jwt.secret", secret,
                "micronaut.server.port", "-1")).close());
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + "\n";
        }
        assertTrue(messages.contains("TODO_JWT_SECRET must be set to a secret of at least 32 bytes"), messages);
        assertFalse(secret.length() > 0 && messages.contains(secret), "the secret is not echoed");
    }
}
