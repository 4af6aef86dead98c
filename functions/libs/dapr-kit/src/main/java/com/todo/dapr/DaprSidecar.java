package com.todo.dapr;

import io.dapr.v1.DaprGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one gRPC connection of a process to its Dapr sidecar, called through the generated blocking stubs. Not the
 * SDK's {@code DaprClient}: it wraps every call in Reactor and a serializer layer that cost CPU per call and classes
 * at start (docs/benchmarks.md, "Same-run comparisons"), and our payloads are bytes already. The address and API
 * token come from the environment daprd's injector sets ({@code DAPR_GRPC_PORT}, {@code DAPR_API_TOKEN});
 * {@code todo.dapr.grpc-port} overrides the port (tests). Every call has a deadline, {@code todo.dapr.timeout}.
 */
@Singleton
public class DaprSidecar {

    private static final Metadata.Key<String> API_TOKEN = Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final DaprGrpc.DaprBlockingStub stub;
    private final Duration timeout;

    public DaprSidecar(@Nullable @Value("${todo.dapr.grpc-port}") Integer grpcPort,
                       @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        int port = grpcPort != null ? grpcPort : Integer.parseInt(env("DAPR_GRPC_PORT", "50001"));
        this.channel = ManagedChannelBuilder.forAddress(env("DAPR_SIDECAR_IP", "127.0.0.1"), port).usePlaintext().build();
        DaprGrpc.DaprBlockingStub base = DaprGrpc.newBlockingStub(channel);
        String token = env("DAPR_API_TOKEN", "");
        if (!token.isEmpty()) {
            Metadata headers = new Metadata();
            headers.put(API_TOKEN, token);
            base = base.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        this.stub = base;
        this.timeout = timeout;
    }

    /** @return the stub for one call, with the configured deadline from now */
    public DaprGrpc.DaprBlockingStub call() {
        return call(timeout);
    }

    /** @return the stub for one call that must end within {@code deadline} */
    public DaprGrpc.DaprBlockingStub call(Duration deadline) {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @PreDestroy
    void close() throws InterruptedException {
        channel.shutdown();
        channel.awaitTermination(2, TimeUnit.SECONDS);
    }
}
