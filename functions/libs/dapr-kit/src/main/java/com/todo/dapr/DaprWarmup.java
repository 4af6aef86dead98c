package com.todo.dapr;

import com.todo.function.Warmup;
import io.dapr.v1.DaprMetadataProtos;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Opens the gRPC connection to the sidecar with a read-only call (metadata), so the first event does not pay for it.
 * With a sidecar that is still starting it waits for the sidecar's readiness first: a connection attempt that fails
 * would put the channel into reconnect backoff, and an event arriving then would fail fast instead of waiting.
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
    public void warm() throws InterruptedException {
        if (readiness.isPresent()) {
            long deadline = System.nanoTime() + SIDECAR_WAIT.toNanos();
            while (!readiness.get().ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sidecar not ready after " + SIDECAR_WAIT);
                }
                Thread.sleep(50);
            }
        }
        sidecar.call(Duration.ofSeconds(2)).getMetadata(DaprMetadataProtos.GetMetadataRequest.getDefaultInstance());
    }
}
