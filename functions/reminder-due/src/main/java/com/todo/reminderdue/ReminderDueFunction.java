package com.todo.reminderdue;

import com.todo.events.DecodedEvent;
import com.todo.events.EventIds;
import com.todo.events.EventType;
import com.todo.events.NotificationSent;
import com.todo.events.ReminderDue;
import com.todo.events.TaskStatus;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.domain.InboxRepository;
import com.todo.domain.NotificationRepository;
import com.todo.domain.Outbox;
import com.todo.domain.ReminderRepository;
import com.todo.domain.ReminderRow;
import com.todo.domain.TaskRepository;
import com.todo.domain.TaskRow;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A reminder that fired becomes one in-app notification (architecture D6): the task is re-checked first (no
 * notification for a deleted or closed task, nor for a reminder since moved or removed); the notification, its
 * deliveries to the user's other channels, the inbox row and com.todo.notification.sent (through the outbox) commit
 * together. The deliveries are made after that commit ({@link ChannelDeliveries}): a failed one makes the event
 * RETRY, and its redelivery (or the sweep) tries that channel again, never the in-app notification.
 */
@Singleton
public class ReminderDueFunction implements EventHandler<ReminderDue> {

    private static final Logger LOG = LoggerFactory.getLogger(ReminderDueFunction.class);
    private static final int SWEEP_BATCH = 500;

    private final InboxRepository inbox;
    private final TaskRepository tasks;
    private final ReminderRepository reminders;
    private final NotificationRepository notifications;
    private final Outbox outbox;
    private final TransactionOperations<Connection> tx;
    private final ChannelDeliveries channels;

    public ReminderDueFunction(InboxRepository inbox, TaskRepository tasks, ReminderRepository reminders,
                            NotificationRepository notifications, Outbox outbox, TransactionOperations<Connection> tx,
                            ChannelDeliveries channels) {
        this.inbox = inbox;
        this.tasks = tasks;
        this.reminders = reminders;
        this.notifications = notifications;
        this.outbox = outbox;
        this.tx = tx;
        this.channels = channels;
    }

    @Override
    public EventType type() {
        return EventType.REMINDER_DUE;
    }

    @Override
    public EventOutcome handle(DecodedEvent<ReminderDue> event) {
        ReminderDue due = event.data();
        Recorded recorded = tx.executeWrite(status -> inbox.claim(function(), event.id()) == 0 ? Recorded.DUPLICATE
                : notifyOnce(due.taskId(), due.reminderId(), due.remindAt()));
        // a duplicate too: the redelivery of an event whose channel failed is that channel's retry
        if (recorded == Recorded.NOTHING || recorded == Recorded.IN_APP_ONLY) {
            return EventOutcome.SUCCESS;
        }
        return channels.deliverDue(EventIds.notification(due.reminderId(), due.remindAt())) ? EventOutcome.SUCCESS
                : EventOutcome.RETRY;
    }

    /** Notifies every due reminder that has no notification yet, each in its own transaction. */
    public int sweep() {
        List<ReminderRow> due = tx.executeRead(status -> reminders.findDueUnnotified(Instant.now(), SWEEP_BATCH));
        int notified = 0;
        for (ReminderRow r : due) {
            Recorded recorded = tx.executeWrite(status -> notifyOnce(r.taskId(), r.id(), r.remindAt()));
            if (recorded == Recorded.IN_APP_ONLY || recorded == Recorded.WITH_CHANNELS) {
                notified++;
            }
        }
        if (notified > 0) {
            LOG.info("sweep notified {} reminder(s) whose job had not fired", notified);
        }
        int delivered = channels.deliverAllDue(SWEEP_BATCH);
        if (delivered > 0) {
            LOG.info("sweep delivered {} notification(s) to a channel beyond in-app (retried, or after quiet hours)",
                    delivered);
        }
        return notified;
    }

    /** What handling a reminder's firing recorded. */
    private enum Recorded { NOTHING, IN_APP_ONLY, WITH_CHANNELS, DUPLICATE }

    /** Inside a transaction: the notification, if one is due now, and its deliveries beyond in-app. */
    private Recorded notifyOnce(UUID taskId, UUID reminderId, Instant remindAt) {
        TaskRow task = tasks.findForShare(taskId).orElse(null);
        if (task == null || TaskStatus.closed(task.status())) {
            LOG.info("reminder {} of task {}: no notification, the task is {}", reminderId, taskId,
                    task == null ? "deleted" : task.status());
            return Recorded.NOTHING;
        }
        ReminderRow reminder = reminders.findById(reminderId).orElse(null);
        if (reminder == null || !reminder.remindAt().equals(remindAt)) {
            LOG.info("reminder {} of task {}: no notification, it was {} since", reminderId, taskId,
                    reminder == null ? "removed" : "moved");
            return Recorded.NOTHING;
        }
        UUID id = EventIds.notification(reminderId, remindAt);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (notifications.insertOnce(id, task.userId(), taskId, reminderId, task.title(), remindAt, now) == 0) {
            return Recorded.DUPLICATE; // the sweep was first: its deliveries may still wait
        }
        List<String> to = channels.record(id, task.userId(), now);
        outbox.append(EventType.NOTIFICATION_SENT, EventIds.notificationSent(id).toString(), source(),
                taskId.toString(), now, new NotificationSent(id, task.userId(), taskId, reminderId, remindAt, to));
        return to.size() > 1 ? Recorded.WITH_CHANNELS : Recorded.IN_APP_ONLY;
    }
}
