package com.todo.dapr;

import com.google.protobuf.ByteString;
import com.todo.events.EventJson;
import com.todo.function.NotificationChannel;
import io.dapr.v1.DaprBindingsProtos;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Delivers notifications through a Dapr output binding named by {@code todo.notifications.binding} (off when empty):
 * operation {@code create} for bindings.smtp (the subject comes from the title), {@code post} for bindings.http.
 */
@Singleton
@Requires(property = "todo.notifications.binding")
@Requires(property = "todo.notifications.binding", notEquals = "log")
public class DaprBindingChannel implements NotificationChannel {

    private final DaprGrpcSidecar sidecar;
    private final String binding;
    private final String operation;

    public DaprBindingChannel(DaprGrpcSidecar sidecar, @Value("${todo.notifications.binding}") String binding,
                              @Value("${todo.notifications.operation:create}") String operation) {
        this.sidecar = sidecar;
        this.binding = binding;
        this.operation = operation;
    }

    @Override
    public String name() {
        return binding;
    }

    @Override
    public void deliver(Map<String, Object> payload) {
        sidecar.call().invokeBinding(DaprBindingsProtos.InvokeBindingRequest.newBuilder()
                .setName(binding)
                .setOperation(operation)
                .setData(ByteString.copyFrom(EventJson.bytes(payload)))
                .putMetadata("subject", String.valueOf(payload.getOrDefault("title", "Reminder")))
                .build());
    }
}
