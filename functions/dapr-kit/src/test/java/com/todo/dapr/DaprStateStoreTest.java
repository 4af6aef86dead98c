package com.todo.dapr;

import com.todo.function.StateStore;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaprStateStoreTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstWriteInsertsOnceAndEtagsGuardUpdates() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port()))) {
            StateStore store = context.getBean(StateStore.class);
            assertTrue(store.get("task-1").isEmpty());
            assertTrue(store.save("task-1", bytes("v1"), null));
            assertFalse(store.save("task-1", bytes("v1 again"), null), "insert-if-absent loses to the first");
            StateStore.Entry first = store.get("task-1").orElseThrow();
            assertArrayEquals(bytes("v1"), first.value());
            assertTrue(store.save("task-1", bytes("v2"), first.etag()));
            assertFalse(store.save("task-1", bytes("v3"), first.etag()), "a stale ETag loses");
            assertArrayEquals(bytes("v2"), store.get("task-1").orElseThrow().value());
        }
    }

    @Test
    void aSidecarThatIsDownIsUnavailable() {
        FakeDaprSidecar down = new FakeDaprSidecar();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(),
                "todo.dapr.timeout", "2s"))) {
            StateStore store = context.getBean(StateStore.class);
            assertThrows(StateStore.UnavailableException.class, () -> store.get("task-1"));
            assertThrows(StateStore.UnavailableException.class, () -> store.save("task-1", bytes("v"), null));
        }
    }
}
