package com.todo.reminderdue;

import com.todo.domain.NotificationDeliveries;
import com.todo.domain.NotificationRepository;
import com.todo.domain.NotificationRow;
import com.todo.domain.NotificationSettingsRepository;
import com.todo.domain.NotificationSettingsRow;
import com.todo.domain.TaskRepository;
import com.todo.domain.TaskRow;
import com.todo.function.EmailSender;
import com.todo.function.NotificationChannel;
import com.todo.function.Webhooks;
import com.todo.events.EventJson;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A notification's channels beyond in-app: the user's verified email address (through the email binding, the
 * address as the request's metadata), the user's webhook (signed with its secret; called directly, because daprd's
 * bindings.http takes no URL per request) and the operator's binding, if configured (channel {@code binding:<name>}). They are recorded with the
 * notification (not before the user's quiet hours end) and delivered after it commits, so a failing channel never
 * holds back the in-app notification.
 */
@Singleton
public class ChannelDeliveries {

    static final String EMAIL = "email";
    static final String WEBHOOK = "webhook";
    static final String BINDING = "binding:";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelDeliveries.class);

    private final NotificationDeliveries deliveries;
    private final NotificationSettingsRepository settings;
    private final NotificationRepository notifications;
    private final TaskRepository tasks;
    private final Optional<EmailSender> email;
    private final Webhooks webhooks;
    private final Optional<NotificationChannel> operatorChannel;

    public ChannelDeliveries(NotificationDeliveries deliveries, NotificationSettingsRepository settings,
                             NotificationRepository notifications, TaskRepository tasks, @Nullable EmailSender email,
                             Webhooks webhooks, @Nullable NotificationChannel operatorChannel) {
        this.deliveries = deliveries;
        this.settings = settings;
        this.notifications = notifications;
        this.tasks = tasks;
        this.email = Optional.ofNullable(email);
        this.webhooks = webhooks;
        this.operatorChannel = Optional.ofNullable(operatorChannel);
    }

    /** Inside the notification's transaction: its deliveries; returns every channel's name, in-app first. */
    List<String> record(UUID notificationId, String userId, Instant now) {
        List<String> channels = new ArrayList<>(List.of("in-app"));
        NotificationSettingsRow user = settings.findById(userId).orElse(null);
        Instant at = user == null || user.quietHours() == null ? now : user.quietHours().deferred(now);
        if (email.isPresent() && user != null && user.emailVerified()) {
            deliveries.record(notificationId, EMAIL, user.email(), at);
            channels.add(EMAIL);
        }
        if (user != null && user.webhookVerified()) {
            // the URL and secret are read when sending: a changed URL gets the call, a removed one none
            deliveries.record(notificationId, WEBHOOK, null, at); // a URL may hold a token: kept once only
            channels.add(WEBHOOK);
        }
        operatorChannel.ifPresent(c -> {
            deliveries.record(notificationId, BINDING + c.name(), null, at);
            channels.add(BINDING + c.name());
        });
        return channels;
    }

    /** After the commit: false when a channel failed (the event is retried, and the sweep retries it too). */
    boolean deliverDue(UUID notificationId) {
        Instant now = now();
        boolean failed = false;
        for (NotificationDeliveries.Pending p : deliveries.due(notificationId, now)) {
            failed |= deliveries.attempt(p, now, this::send) == NotificationDeliveries.Attempt.FAILED;
        }
        return !failed;
    }

    /** The sweep's part: every due delivery (retries, and those held back by quiet hours); how many were made. */
    int deliverAllDue(int limit) {
        Instant now = now();
        int delivered = 0;
        for (NotificationDeliveries.Pending p : deliveries.due(now, limit)) {
            if (deliveries.attempt(p, now, this::send) == NotificationDeliveries.Attempt.DELIVERED) {
                delivered++;
            }
        }
        return delivered;
    }

    private void send(NotificationDeliveries.Pending delivery) {
        NotificationRow n = notifications.findById(delivery.notificationId()).orElseThrow();
        try {
            if (delivery.channel().equals(EMAIL)) {
                email.orElseThrow(() -> new IllegalStateException("no email binding is configured"))
                        .send(delivery.address(), "Reminder: " + n.title(), html(n));
            } else if (delivery.channel().equals(WEBHOOK)) {
                callWebhook(n);
            } else {
                operatorChannel.filter(c -> (BINDING + c.name()).equals(delivery.channel()))
                        .orElseThrow(() -> new IllegalStateException("no binding " + delivery.channel()))
                        .deliver(payload(n));
            }
        } catch (RuntimeException e) {
            boolean last = delivery.attempts() + 1 >= NotificationDeliveries.MAX_ATTEMPTS;
            LOG.warn("notification {}: {} not delivered (try {}), {}: {}", n.id(), delivery.channel(),
                    delivery.attempts() + 1, last ? "given up (notification_deliveries keeps last_error)" : "retried",
                    e.toString());
            throw e;
        }
    }

    private void callWebhook(NotificationRow n) {
        NotificationSettingsRow user = settings.findById(n.userId()).orElse(null);
        if (user == null || !user.webhookVerified()) {
            LOG.info("notification {}: the webhook was removed before it was called", n.id());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "reminder");
        body.putAll(payload(n));
        Webhooks.Answer answer = webhooks.post(user.webhookUrl(), user.webhookSecret(), n.id().toString(),
                EventJson.bytes(body));
        if (!answer.ok()) {
            throw new IllegalStateException("the webhook answered " + answer.status());
        }
    }

    private Map<String, Object> payload(NotificationRow n) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("notificationId", n.id().toString());
        payload.put("userId", n.userId());
        payload.put("taskId", n.taskId().toString());
        payload.put("title", n.title());
        payload.put("remindAt", n.remindAt().toString());
        Instant dueAt = tasks.findById(n.taskId()).map(TaskRow::dueAt).orElse(null);
        payload.put("dueAt", dueAt == null ? null : dueAt.toString());
        return payload;
    }

    /** bindings.smtp sends the body as text/html: the title is the user's text, so it is escaped. */
    static String html(NotificationRow n) {
        return "<p>Reminder: <strong>" + escape(n.title()) + "</strong></p><p>Reminder time: " + n.remindAt() + "</p>";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
