package com.todo.function;

import com.todo.events.DecodedEvent;
import com.todo.events.EventCodec;
import com.todo.events.EventRejected;
import com.todo.events.EventType;
import com.todo.events.TraceContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the event route does around a function's handler: read the delivery in any shape into a typed, checked event,
 * run the handler, and answer in daprd's terms (architecture D4). A rejected event is DROP with the reason
 * logged and in the answer (for the dead-letter inbox); any other failure is RETRY (nothing is lost: the event comes again). One log line per event.
 */
@Singleton
public class EventEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger("events");

    /** Decodes the delivery as the handler's type, runs the handler and answers with its outcome. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MutableHttpResponse<String> handle(EventHandler<?> handler, HttpRequest<?> request, byte[] body) {
        String function = handler.function();
        long start = System.nanoTime();
        Map<String, List<String>> headers = new HashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, values));
        DecodedEvent<?> event = null;
        EventOutcome outcome;
        String reason = null;
        try {
            event = EventCodec.decode(headers, body == null ? new byte[0] : body, Set.of(handler.type()));
            try (TraceContext.Scope trace = TraceContext.open(event.traceparent())) {
                // the data is of the type's catalog class, which EventRoutes checked is the handler's
                outcome = ((EventHandler) handler).handle(event);
            }
        } catch (EventRejected e) {
            outcome = EventOutcome.DROP;
            reason = e.getMessage();
        } catch (JobScheduler.RejectedException e) {
            // a schedule the scheduler refuses is refused on every delivery: to the dead-letter topic at once
            outcome = EventOutcome.DROP;
            reason = e.getMessage();
        } catch (RuntimeException e) {
            outcome = EventOutcome.RETRY;
            reason = e.toString();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String type = event == null ? "-" : event.type().type();
        String id = event == null ? "-" : event.id();
        String trace = event == null || event.traceparent() == null ? "-" : event.traceparent();
        if (reason == null) {
            LOG.info("function={} type={} id={} outcome={} ms={} trace={}", function, type, id, outcome, ms, trace);
        } else {
            LOG.warn("function={} type={} id={} outcome={} ms={} trace={} reason={}", function, type, id, outcome, ms,
                    trace, reason);
        }
        return outcome == EventOutcome.DROP && reason != null ? EventOutcome.drop(reason) : outcome.response();
    }
}
