package com.todo.function;

import com.todo.events.DecodedEvent;
import com.todo.events.EventRejected;
import com.todo.events.EventType;

/**
 * A function's logic: the handler of one catalog event type, with that type's data. Declared as a {@code @Singleton},
 * it is served on {@code POST /<function>} by {@link EventRoutes}, where the function is the type's handler in the
 * catalog (also its Dapr app-id, Knative Service, and the source of the events it builds). The route decodes every
 * delivery shape, checks the data against its schema, answers in daprd's terms and logs one line per event; the
 * handler only decides.
 *
 * @param <T> the type's data class in the catalog ({@link EventType#dataType()}); checked when the route starts
 */
public interface EventHandler<T> {

    /** The one type this handler consumes. */
    EventType type();

    /**
     * @return SUCCESS for a handled or duplicate event (redeliveries happen), RETRY for a transient fault that returned
     * rather than threw
     * @throws EventRejected for an event that can never be handled: DROP, to the dead-letter topic. Any other
     *                       exception is RETRY.
     */
    EventOutcome handle(DecodedEvent<T> event) throws EventRejected;

    /** The function's name: its route, Dapr app-id and Knative Service. */
    default String function() {
        return type().handler().orElseThrow(() -> new IllegalStateException(type() + " has no handler in the catalog"));
    }

    /** The CloudEvent source of what this function builds. */
    default String source() {
        return "/" + function();
    }
}
