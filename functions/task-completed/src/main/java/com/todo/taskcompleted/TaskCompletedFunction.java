package com.todo.taskcompleted;

import com.todo.events.Occurrences;
import com.todo.events.DecodedEvent;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventPublisher;
import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.reminders.TaskReminders;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A completed task: cancel its reminders; for a recurring task, publish com.todo.recurring.scheduled for the next
 * occurrence with the name-based id UUIDv5(series id, occurrence time), so however often this runs, the next task
 * is created once.
 */
@Singleton
public class TaskCompletedFunction implements EventHandler<TaskSnapshot> {

    private final TaskReminders reminders;
    private final EventPublisher publisher;

    public TaskCompletedFunction(TaskReminders reminders, EventPublisher publisher) {
        this.reminders = reminders;
        this.publisher = publisher;
    }

    @Override
    public EventType type() {
        return EventType.TASK_COMPLETED;
    }

    @Override
    public EventOutcome handle(DecodedEvent<TaskSnapshot> event) {
        TaskSnapshot task = event.data();
        Runnable publishNext = Occurrences.next(task, Instant.now())
                .<Runnable>map(next -> () -> publisher.publish(nextOccurrence(task, next))).orElse(null);
        return reminders.cancelAll(task, source(), publishNext);
    }

    private EventPublisher.OutgoingEvent nextOccurrence(TaskSnapshot task, Instant occurrenceAt) {
        UUID seriesId = Objects.requireNonNullElse(task.seriesId(), task.id());
        UUID nextTaskId = EventIds.occurrence(seriesId, occurrenceAt);
        RecurringScheduled data = new RecurringScheduled(seriesId, task.id(), nextTaskId, task.userId(), occurrenceAt,
                new RecurringScheduled.Template(task.title(), task.description(), task.priority(), task.tags(),
                        task.timeZone(),
                        task.reminders().stream().map(TaskSnapshot.Reminder::before).filter(Objects::nonNull).toList(),
                        task.recurrence().rule(), task.recurrence().seriesStart()));
        byte[] event = StructuredEvents.serialize(StructuredEvents.build(EventType.RECURRING_SCHEDULED,
                nextTaskId.toString(), source(), nextTaskId.toString(), Instant.now(), EventJson.bytes(data)));
        return new EventPublisher.OutgoingEvent(nextTaskId.toString(), EventType.RECURRING_SCHEDULED.type(),
                EventType.RECURRING_SCHEDULED.topic(), nextTaskId.toString(), event);
    }
}
