package com.todo.recurringscheduled;

import com.todo.events.DecodedEvent;
import com.todo.events.EventRejected;
import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.domain.InboxRepository;
import com.todo.domain.InvalidTaskException;
import com.todo.domain.TaskService;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * The next occurrence of a series: the task (id = UUIDv5(series id, occurrence time)) and its com.todo.task.created
 * through the outbox, with the inbox row, in one transaction — so it exists once however often the event comes.
 */
@Singleton
public class RecurringScheduledFunction implements EventHandler<RecurringScheduled> {

    private final InboxRepository inbox;
    private final TaskService tasks;

    public RecurringScheduledFunction(InboxRepository inbox, TaskService tasks) {
        this.inbox = inbox;
        this.tasks = tasks;
    }

    @Override
    public EventType type() {
        return EventType.RECURRING_SCHEDULED;
    }

    @Override
    @Transactional
    public EventOutcome handle(DecodedEvent<RecurringScheduled> event) throws EventRejected {
        if (inbox.claim(function(), event.id()) == 0) {
            return EventOutcome.SUCCESS;
        }
        try {
            tasks.createOccurrence(event.data(), source());
        } catch (InvalidTaskException e) {
            throw new EventRejected("the occurrence breaks the task rules: " + e.getMessage(), e);
        }
        return EventOutcome.SUCCESS;
    }
}
