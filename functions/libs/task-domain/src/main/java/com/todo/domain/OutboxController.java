package com.todo.domain;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code POST /outbox/flush} on every database function: the gateway's maintenance job calls it every minute, so
 * rows left pending by a process that scaled to zero are published without waiting for a user request.
 */
@Controller("/outbox")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutboxController {

    private final OutboxRelay relay;

    public OutboxController(OutboxRelay relay) {
        this.relay = relay;
    }

    @Post("/flush")
    @Consumes(MediaType.ALL)
    public OutboxRelay.FlushResult flush() {
        return relay.flush();
    }
}
