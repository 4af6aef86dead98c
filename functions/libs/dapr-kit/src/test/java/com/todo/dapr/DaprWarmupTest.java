package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.sun.net.httpserver.HttpServer;
import com.todo.function.StartupWarmups;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaprWarmupTest {

    @Test
    void startupOpensTheSidecarConnectionOnceTheSidecarIsReady() throws Exception {
        AtomicInteger healthz = new AtomicInteger(500);
        HttpServer sidecarHttp = FakeDaprSidecar.healthz(healthz);
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort(),
                     "dapr.http.port", sidecarHttp.getAddress().getPort()))) {
            StartupWarmups warmups = context.getBean(StartupWarmups.class);
            assertFalse(warmups.awaitFinished(Duration.ofMillis(300)), "waits while the sidecar is not ready");
            assertEquals(0, sidecar.metadataCalls(), "no call before the sidecar is ready");
            healthz.set(204);
            assertTrue(warmups.awaitFinished(Duration.ofSeconds(10)));
            assertEquals(1, sidecar.metadataCalls());
            assertTrue(warmups.done().contains("DaprWarmup"), warmups.done()::toString);
        } finally {
            sidecarHttp.stop(0);
        }
    }

    @Test
    void anUnreachableSidecarCostsOnlyTheHeadStart() throws Exception {
        FakeDaprSidecar down = new FakeDaprSidecar(); // never started: nothing listens on its port
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(), "todo.dapr.http-port", down.httpPort()))) {
            StartupWarmups warmups = context.getBean(StartupWarmups.class);
            assertTrue(warmups.awaitFinished(Duration.ofSeconds(10)));
            assertFalse(warmups.done().contains("DaprWarmup"), warmups.done()::toString);
            assertTrue(context.isRunning());
        }
    }

    @Test
    void localModeHasNoSidecarToWarm() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.state.store", "local"))) {
            assertFalse(context.containsBean(DaprWarmup.class));
        }
    }
}
