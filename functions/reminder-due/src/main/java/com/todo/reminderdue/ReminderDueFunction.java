package com.todo.reminderdue;

import com.todo.events.EventType;
import com.todo.events.ReminderDue;
import com.todo.function.EventEndpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;
import java.util.Set;

/**
 * {@code POST /reminder-due}: com.todo.reminder.due events, in any CloudEvent shape (D4); and
 * {@code POST /reminders/sweep}, the gateway's minute job that catches reminders whose job was lost (D6).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReminderDueFunction {

    private final EventEndpoint endpoint;
    private final ReminderNotifier notifier;

    public ReminderDueFunction(EventEndpoint endpoint, ReminderNotifier notifier) {
        this.endpoint = endpoint;
        this.notifier = notifier;
    }

    @Post(uri = "/reminder-due", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> handle(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return endpoint.handle("reminder-due", request, body, Set.of(EventType.REMINDER_DUE),
                event -> notifier.onReminderDue((ReminderDue) event.data(), event.id()));
    }

    @Post("/reminders/sweep")
    @Consumes(MediaType.ALL)
    public Map<String, Integer> sweep() {
        return Map.of("notified", notifier.sweep());
    }
}
