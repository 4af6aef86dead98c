package com.todo.dapr;

import com.todo.events.EventJson;
import com.todo.function.NotificationChannel;
import io.dapr.client.DaprClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/**
 * Delivers notifications through a Dapr output binding named by {@code todo.notifications.binding} (off when empty):
 * operation {@code create} for bindings.smtp (the subject comes from the title), {@code post} for bindings.http.
 */
@Singleton
@Requires(property = "todo.notifications.binding")
@Requires(property = "todo.notifications.binding", notEquals = "log")
public class DaprBindingChannel implements NotificationChannel {

    private final DaprClient client;
    private final String binding;
    private final String operation;
    private final Duration timeout;

    public DaprBindingChannel(DaprClient client, @Value("${todo.notifications.binding}") String binding,
                              @Value("${todo.notifications.operation:create}") String operation,
                              @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        this.client = client;
        this.binding = binding;
        this.operation = operation;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return binding;
    }

    @Override
    public void deliver(Map<String, Object> payload) {
        Map<String, String> metadata = Map.of("subject", String.valueOf(payload.getOrDefault("title", "Reminder")));
        client.invokeBinding(binding, operation, EventJson.bytes(payload), metadata).block(timeout);
    }
}
