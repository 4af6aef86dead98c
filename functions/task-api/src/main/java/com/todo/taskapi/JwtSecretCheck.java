package com.todo.taskapi;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;

import java.nio.charset.StandardCharsets;

/** Refuses to start without a usable token secret (HS256 needs at least 256 bits). The secret is never logged. */
@Context
public class JwtSecretCheck {

    static final int MIN_BYTES = 32;

    public JwtSecretCheck(@Value("${todo.jwt.secret:}") String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            throw new ConfigurationException("TODO_JWT_SECRET must be set to a secret of at least " + MIN_BYTES
                    + " bytes (in the cluster from the Kubernetes secret todo-app, see knative/task-api.yaml; locally "
                    + "scripts/run-local.sh generates one)");
        }
    }
}
