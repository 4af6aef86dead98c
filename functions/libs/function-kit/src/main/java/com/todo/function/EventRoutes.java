package com.todo.function;

import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one event route of every function: {@code POST /<function>} hands the delivery to the {@link EventHandler}
 * whose catalog type names that function. A deployable serves its own handler; local mode, which has them all, serves
 * each on its own path. The handlers are checked once, here: one per function, each typed with its catalog type's
 * data class — a mismatch stops the start instead of failing every event.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = EventHandler.class)
public class EventRoutes {

    private final EventEndpoint endpoint;
    private final Map<String, EventHandler<?>> byFunction = new TreeMap<>();

    @SuppressWarnings("rawtypes")
    public EventRoutes(EventEndpoint endpoint, BeanContext context) {
        this.endpoint = endpoint;
        for (BeanRegistration<EventHandler> registration : context.getBeanRegistrations(EventHandler.class)) {
            EventHandler<?> handler = registration.bean();
            List<Argument<?>> data = registration.getBeanDefinition().getTypeArguments(EventHandler.class);
            Class<?> declared = data.isEmpty() ? Object.class : data.get(0).getType();
            if (!declared.equals(handler.type().dataType())) {
                throw new IllegalStateException(registration.getBeanDefinition().getBeanType().getName()
                        + " handles " + handler.type().type() + " as " + declared.getName() + ", but the catalog's "
                        + "data class of that type is " + handler.type().dataType().getName());
            }
            EventHandler<?> other = byFunction.putIfAbsent(handler.function(), handler);
            if (other != null) {
                throw new IllegalStateException("two handlers of " + handler.type().type() + ": "
                        + other.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    @Post(uri = "/{function}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> deliver(@PathVariable String function, HttpRequest<?> request, @Nullable @Body byte[] body) {
        EventHandler<?> handler = byFunction.get(function);
        if (handler == null) {
            return Problem.response(HttpStatus.NOT_FOUND, "no event function is served on this path");
        }
        return endpoint.handle(handler, request, body);
    }

    /** The functions served here, by name. */
    public Set<String> functions() {
        return Collections.unmodifiableSet(byFunction.keySet());
    }
}
