package com.todo.reminders;

import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.ReminderDue;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.SchedulesClient;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A reminder is the gateway schedule {@code reminder-<reminderId>} that publishes com.todo.reminder.due at its time,
 * with the id UUIDv5(reminder id, remind time): a moved reminder fires again, a replayed one does not (D6).
 */
@Singleton
public class ReminderJobs {

    private final SchedulesClient schedules;

    public ReminderJobs(SchedulesClient schedules) {
        this.schedules = schedules;
    }

    public static String name(String reminderId) {
        return "reminder-" + reminderId;
    }

    public void schedule(TaskSnapshot task, UUID reminderId, Instant remindAt, String source) {
        ReminderDue data = new ReminderDue(reminderId, task.id(), task.userId(), remindAt, task.dueAt(), task.title(),
                task.version());
        byte[] bytes = EventJson.bytes(data);
        byte[] event = StructuredEvents.serialize(StructuredEvents.build(EventType.REMINDER_DUE,
                EventIds.reminderDue(reminderId, remindAt).toString(), source, task.id().toString(), Instant.now(), bytes));
        schedules.schedule(name(reminderId.toString()), remindAt, EventType.REMINDER_DUE.topic(),
                new String(event, StandardCharsets.UTF_8));
    }

    public void cancel(String reminderId) {
        schedules.cancel(name(reminderId));
    }
}
