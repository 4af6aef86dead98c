package com.todo.dapr;

import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import io.dapr.config.Properties;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The one Dapr client of a function. The SDK reads the sidecar's address and API token from the environment daprd's
 * injector sets ({@code DAPR_GRPC_PORT}, {@code DAPR_API_TOKEN}); {@code todo.dapr.grpc-port} overrides the port
 * (tests). The SDK's default is no timeout at all, so every call gets {@code todo.dapr.timeout}.
 */
@Factory
public class DaprClientFactory {

    @Singleton
    @Bean(preDestroy = "close")
    DaprClient daprClient(@Nullable @Value("${todo.dapr.grpc-port}") Integer grpcPort,
                          @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        DaprClientBuilder builder = new DaprClientBuilder()
                .withPropertyOverride(Properties.TIMEOUT, String.valueOf(timeout.toMillis()));
        if (grpcPort != null) {
            builder.withPropertyOverride(Properties.GRPC_PORT, String.valueOf(grpcPort));
        }
        return builder.build();
    }
}
