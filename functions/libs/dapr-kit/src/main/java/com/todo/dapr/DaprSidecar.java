package com.todo.dapr;

import com.todo.function.LoopbackHttp;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * The process's calls to its Dapr sidecar's HTTP API: state, publish and metadata. HTTP, not gRPC: the JDK's
 * {@link LoopbackHttp} needs no classes a function does not load anyway, where a gRPC channel brings ~1,000 (gRPC,
 * protobuf, Guava) into every cold start and the AOT cache, and an event-loop thread into every call
 * (docs/benchmarks.md, "Same-run comparisons"). The address and API token come from the environment daprd's
 * injector sets ({@code DAPR_SIDECAR_IP}, {@code DAPR_HTTP_PORT}, {@code DAPR_API_TOKEN}, the last read as
 * {@code dapr.api.token}); {@code todo.dapr.http-port} overrides the port (tests). Every call must be answered
 * within {@code todo.dapr.timeout}.
 */
@Singleton
public class DaprSidecar {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String base;
    private final LoopbackHttp http;

    public DaprSidecar(@Nullable @Value("${todo.dapr.http-port}") Integer httpPort,
                       @Value("${dapr.api.token:}") String token,
                       @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        int port = httpPort != null ? httpPort : Integer.parseInt(env("DAPR_HTTP_PORT", "3500"));
        this.base = "http://" + env("DAPR_SIDECAR_IP", "127.0.0.1") + ":" + port + "/v1.0/";
        this.http = new LoopbackHttp(token, CONNECT_TIMEOUT, timeout);
    }

    /**
     * @param path below {@code /v1.0/}, encoded
     * @throws IOException when the sidecar did not answer
     */
    public LoopbackHttp.Answer call(String method, String path, @Nullable byte[] body, @Nullable String contentType)
            throws IOException {
        return http.exchange(method, base + path, body, contentType);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
