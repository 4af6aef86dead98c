package com.todo.reminderdue;

import com.todo.events.DecodedEvent;
import com.todo.events.EventIds;
import com.todo.events.EventType;
import com.todo.events.NotificationSent;
import com.todo.events.ReminderDue;
import com.todo.events.TaskStatus;
import com.todo.function.EventHandler;
import com.todo.function.EventOutcome;
import com.todo.function.NotificationChannel;
import com.todo.domain.InboxRepository;
import com.todo.domain.NotificationRepository;
import com.todo.domain.Outbox;
import com.todo.domain.ReminderRepository;
import com.todo.domain.ReminderRow;
import com.todo.domain.TaskRepository;
import com.todo.domain.TaskRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A reminder that fired becomes one in-app notification (architecture D6): the task is re-checked first (no
 * notification for a deleted or completed task, nor for a reminder since moved or removed); the notification, the
 * inbox row and com.todo.notification.sent (through the outbox) commit together; the optional output binding is
 * called before that commit, so a failed delivery is retried with the event.
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
    private final Optional<NotificationChannel> channel;

    public ReminderDueFunction(InboxRepository inbox, TaskRepository tasks, ReminderRepository reminders,
                            NotificationRepository notifications, Outbox outbox, TransactionOperations<Connection> tx,
                            @Nullable NotificationChannel channel) {
        this.inbox = inbox;
        this.tasks = tasks;
        this.reminders = reminders;
        this.notifications = notifications;
        this.outbox = outbox;
        this.tx = tx;
        this.channel = Optional.ofNullable(channel);
    }

    @Override
    public EventType type() {
        return EventType.REMINDER_DUE;
    }

    @Override
    @Transactional
    public EventOutcome handle(DecodedEvent<ReminderDue> event) {
        if (inbox.claim(function(), event.id()) == 0) {
            return EventOutcome.SUCCESS;
        }
        ReminderDue due = event.data();
        notifyOnce(due.taskId(), due.reminderId(), due.remindAt());
        return EventOutcome.SUCCESS;
    }

    /** Notifies every due reminder that has no notification yet, each in its own transaction. */
    public int sweep() {
        List<ReminderRow> due = tx.executeRead(status -> reminders.findDueUnnotified(Instant.now(), SWEEP_BATCH));
        int notified = 0;
        for (ReminderRow r : due) {
            if (Boolean.TRUE.equals(tx.executeWrite(status -> notifyOnce(r.taskId(), r.id(), r.remindAt())))) {
                notified++;
            }
        }
        if (notified > 0) {
            LOG.info("sweep notified {} reminder(s) whose job had not fired", notified);
        }
        return notified;
    }

    /** Inside a transaction: true when a notification was recorded now. */
    private boolean notifyOnce(UUID taskId, UUID reminderId, Instant remindAt) {
        TaskRow task = tasks.findForShare(taskId).orElse(null);
        if (task == null || TaskStatus.closed(task.status())) {
            LOG.info("reminder {} of task {}: no notification, the task is {}", reminderId, taskId,
                    task == null ? "deleted" : task.status());
            return false;
        }
        ReminderRow reminder = reminders.findById(reminderId).orElse(null);
        if (reminder == null || !reminder.remindAt().equals(remindAt)) {
            LOG.info("reminder {} of task {}: no notification, it was {} since", reminderId, taskId,
                    reminder == null ? "removed" : "moved");
            return false;
        }
        UUID id = EventIds.notification(reminderId, remindAt);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (notifications.insertOnce(id, task.userId(), taskId, reminderId, task.title(), remindAt, now) == 0) {
            return false;
        }
        List<String> channels = new ArrayList<>(List.of("in-app"));
        channel.ifPresent(c -> {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("notificationId", id.toString());
            payload.put("userId", task.userId());
            payload.put("taskId", taskId.toString());
            payload.put("title", task.title());
            payload.put("remindAt", remindAt.toString());
            payload.put("dueAt", task.dueAt() == null ? null : task.dueAt().toString());
            c.deliver(payload);
            channels.add(c.name());
        });
        outbox.append(EventType.NOTIFICATION_SENT, EventIds.notificationSent(id).toString(), source(),
                taskId.toString(), now, new NotificationSent(id, task.userId(), taskId, reminderId, remindAt, channels));
        return true;
    }
}
