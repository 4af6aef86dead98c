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
 * A gRPC connection to the Dapr sidecar, for the calls whose HTTP form would change what daprd passes on: jobs (the
 * HTTP API takes the job's data as a JSON value and stores it as a {@code google.protobuf.Value}, not as our bytes)
 * and output bindings (daprd JSON-encodes the HTTP request's data again, so an HTML body would reach bindings.smtp
 * as a quoted JSON string). Everything else goes over HTTP ({@link DaprSidecar}), and this connection, with its
 * ~1,000 classes of gRPC, protobuf and Guava, is made only where one of those calls is: the gateway's jobs, a
 * configured binding. Called through the generated blocking stubs, not the SDK's {@code DaprClient}, which wraps
 * every call in Reactor and a serializer layer (docs/benchmarks.md, "Same-run comparisons"). The address and API
 * token come from the environment daprd's injector sets ({@code DAPR_GRPC_PORT}, {@code DAPR_API_TOKEN} read as
 * {@code dapr.api.token}); {@code todo.dapr.grpc-port} overrides the port (tests). Every call has a deadline,
 * {@code todo.dapr.timeout}.
 */
@Singleton
public class DaprGrpcSidecar {

    private static final Metadata.Key<String> API_TOKEN = Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final DaprGrpc.DaprBlockingStub stub;
    private final Duration timeout;

    public DaprGrpcSidecar(@Nullable @Value("${todo.dapr.grpc-port}") Integer grpcPort,
                           @Value("${dapr.api.token:}") String token,
                           @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        int port = grpcPort != null ? grpcPort : Integer.parseInt(env("DAPR_GRPC_PORT", "50001"));
        this.channel = ManagedChannelBuilder.forAddress(env("DAPR_SIDECAR_IP", "127.0.0.1"), port).usePlaintext().build();
        DaprGrpc.DaprBlockingStub base = DaprGrpc.newBlockingStub(channel);
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
