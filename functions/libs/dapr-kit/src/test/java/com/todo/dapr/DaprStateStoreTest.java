package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.todo.function.StateStore;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            firstWriteInsertsOnceAndEtagsGuardUpdates(context.getBean(StateStore.class), "task-1");
        }
    }

    @Test
    void aJsonValueIsKeptAsJsonNotAsOurBytes() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            aJsonValueIsKeptAsJsonNotAsOurBytes(context.getBean(StateStore.class), "task-2");
        }
    }

    /** The assertions the fake and the real daprd (RealDaprdAdaptersTest) must both pass. */
    static void firstWriteInsertsOnceAndEtagsGuardUpdates(StateStore store, String key) {
        assertTrue(store.get(key).isEmpty());
        assertTrue(store.save(key, bytes("{\"v\":1}"), null));
        assertFalse(store.save(key, bytes("{\"v\":11}"), null), "insert-if-absent loses to the first");
        StateStore.Entry first = store.get(key).orElseThrow();
        assertArrayEquals(bytes("{\"v\":1}"), first.value());
        assertTrue(store.save(key, bytes("{\"v\":2}"), first.etag()));
        assertFalse(store.save(key, bytes("{\"v\":3}"), first.etag()), "a stale ETag loses");
        assertArrayEquals(bytes("{\"v\":2}"), store.get(key).orElseThrow().value());
    }

    @Test
    void aPutWritesWhateverTheKeyHolds() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            aPutWritesWhateverTheKeyHolds(context.getBean(StateStore.class), "task-3");
        }
    }

    /** Last-write: absent or present, the value is replaced, and the ETag read before it no longer matches. */
    static void aPutWritesWhateverTheKeyHolds(StateStore store, String key) {
        store.put(key, bytes("{\"v\":1}"));
        StateStore.Entry first = store.get(key).orElseThrow();
        store.put(key, bytes("{\"v\":2}"));
        assertArrayEquals(bytes("{\"v\":2}"), store.get(key).orElseThrow().value());
        assertFalse(store.save(key, bytes("{\"v\":3}"), first.etag()), "the put changed the ETag");
        assertArrayEquals(bytes("{\"v\":2}"), store.get(key).orElseThrow().value());
    }

    static void aJsonValueIsKeptAsJsonNotAsOurBytes(StateStore store, String key) {
        assertTrue(store.save(key, bytes("{\"version\": 2, \"applied\": false}"), null));
        assertEquals("{\"applied\":false,\"version\":2}", new String(store.get(key).orElseThrow().value(),
                StandardCharsets.UTF_8), "re-serialised, keys sorted: compare what comes back as data, not as bytes");
    }

    @Test
    void aSidecarThatIsDownIsUnavailable() {
        FakeDaprSidecar down = new FakeDaprSidecar();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(), "todo.dapr.http-port", down.httpPort(),
                "todo.dapr.timeout", "2s"))) {
            StateStore store = context.getBean(StateStore.class);
            assertThrows(StateStore.UnavailableException.class, () -> store.get("task-1"));
            assertThrows(StateStore.UnavailableException.class, () -> store.save("task-1", bytes("v"), null));
            assertThrows(StateStore.UnavailableException.class, () -> store.put("task-1", bytes("v")));
        }
    }
}
