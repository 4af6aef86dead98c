package com.todo.dapr;

import com.google.protobuf.ByteString;
import com.todo.function.EmailSender;
import io.dapr.v1.DaprBindingsProtos;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * Email through the Dapr output binding named by {@code todo.email.binding} (bindings.smtp, operation create): the
 * recipient and subject are the request's metadata ({@code emailTo}, {@code subject}), so the component holds no
 * address. bindings.smtp splits {@code emailTo} at ';', so callers pass one verified address only.
 */
@Singleton
@Requires(property = "todo.email.binding")
public class DaprEmailSender implements EmailSender {

    private final DaprGrpcSidecar sidecar;
    private final String binding;

    public DaprEmailSender(DaprGrpcSidecar sidecar, @Value("${todo.email.binding}") String binding) {
        this.sidecar = sidecar;
        this.binding = binding;
    }

    @Override
    public void send(String to, String subject, String html) {
        sidecar.call().invokeBinding(DaprBindingsProtos.InvokeBindingRequest.newBuilder()
                .setName(binding)
                .setOperation("create")
                .setData(ByteString.copyFrom(html, StandardCharsets.UTF_8))
                .putMetadata("emailTo", to)
                .putMetadata("subject", subject)
                .build());
    }
}
