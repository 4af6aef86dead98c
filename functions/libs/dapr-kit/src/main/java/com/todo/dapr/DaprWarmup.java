package com.todo.dapr;

import com.todo.function.LoopbackHttp;
import com.todo.function.Warmup;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * Makes a first, read-only call to the sidecar (metadata), so the first event does not pay for the HTTP client's
 * classes and the connection. With a sidecar that is still starting it waits for the sidecar's readiness first, so
 * the call reaches a sidecar that answers it.
 */
@Singleton
@Requires(property = "todo.state.store", value = "dapr", defaultValue = "dapr") // local mode has no sidecar
public class DaprWarmup implements Warmup {

    private static final Duration SIDECAR_WAIT = Duration.ofSeconds(10);

    private final DaprSidecar sidecar;
    private final BeanProvider<SidecarReadiness> readiness;

    public DaprWarmup(DaprSidecar sidecar, BeanProvider<SidecarReadiness> readiness) {
        this.sidecar = sidecar;
        this.readiness = readiness;
    }

    @Override
    public void warm() throws InterruptedException, IOException {
        if (readiness.isPresent()) {
            long deadline = System.nanoTime() + SIDECAR_WAIT.toNanos();
            while (!readiness.get().ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sidecar not ready after " + SIDECAR_WAIT);
                }
                Thread.sleep(50);
            }
        }
        LoopbackHttp.Answer answer = sidecar.call("GET", "metadata", null, null);
        if (!answer.ok()) {
            throw new IllegalStateException("sidecar metadata answered " + answer.status());
        }
    }
}
