package com.todo.recurringscheduled;

import com.todo.events.EventRejected;
import com.todo.events.RecurringScheduled;
import com.todo.function.EventOutcome;
import com.todo.store.InboxRepository;
import com.todo.store.InvalidTaskException;
import com.todo.store.TaskService;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * The next occurrence of a series: the task (id = UUIDv5(series id, occurrence time)) and its com.todo.task.created
 * through the outbox, with the inbox row, in one transaction — so it exists once however often the event comes.
 */
@Singleton
public class RecurringScheduledService {

    static final String CONSUMER = "recurring-scheduled";

    private final InboxRepository inbox;
    private final TaskService tasks;

    public RecurringScheduledService(InboxRepository inbox, TaskService tasks) {
        this.inbox = inbox;
        this.tasks = tasks;
    }

    @Transactional
    public EventOutcome onScheduled(RecurringScheduled next, String eventId) throws EventRejected {
        if (inbox.claim(CONSUMER, eventId) == 0) {
            return EventOutcome.SUCCESS;
        }
        try {
            tasks.createOccurrence(next, "/" + CONSUMER);
        } catch (InvalidTaskException e) {
            throw new EventRejected("the occurrence breaks the task rules: " + e.getMessage(), e);
        }
        return EventOutcome.SUCCESS;
    }
}
