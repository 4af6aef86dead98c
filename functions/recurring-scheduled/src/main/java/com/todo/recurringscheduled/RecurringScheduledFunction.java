package com.todo.recurringscheduled;

import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.function.EventEndpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Set;

/** {@code POST /recurring-scheduled}: com.todo.recurring.scheduled events, in any CloudEvent shape (D4). */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class RecurringScheduledFunction {

    private final EventEndpoint endpoint;
    private final RecurringScheduledService service;

    public RecurringScheduledFunction(EventEndpoint endpoint, RecurringScheduledService service) {
        this.endpoint = endpoint;
        this.service = service;
    }

    @Post(uri = "/recurring-scheduled", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> handle(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return endpoint.handle("recurring-scheduled", request, body, Set.of(EventType.RECURRING_SCHEDULED),
                event -> service.onScheduled((RecurringScheduled) event.data(), event.id()));
    }
}
