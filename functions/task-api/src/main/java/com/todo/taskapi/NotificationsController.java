package com.todo.taskapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.todo.domain.NotificationRepository;
import com.todo.domain.NotificationRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The caller's in-app notifications (recorded by reminder-due), newest first. */
@Controller("/api/v1/notifications")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden // the contract is src/main/openapi/task-api.yml (OpenApiContractTest)
public class NotificationsController {

    private static final int LIMIT = 100;

    private final NotificationRepository notifications;

    public NotificationsController(NotificationRepository notifications) {
        this.notifications = notifications;
    }

    /** One notification as the API shows it ({@code readAt} null while unread). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Notification(UUID id, UUID taskId, UUID reminderId, String title, Instant remindAt, Instant createdAt,
                               @Nullable Instant readAt) {
        static Notification of(NotificationRow row) {
            return new Notification(row.id(), row.taskId(), row.reminderId(), row.title(), row.remindAt(),
                    row.createdAt(), row.readAt());
        }
    }

    @Serdeable
    public record NotificationList(List<Notification> items) {
    }

    @Get
    public NotificationList list(@Nullable @QueryValue String unread, Authentication user) {
        if (unread != null && !unread.equals("true") && !unread.equals("false")) {
            throw new BadRequestException("unread must be true or false");
        }
        return new NotificationList(notifications.list(user.getName(), "true".equals(unread), LIMIT).stream()
                .map(Notification::of).toList());
    }

    @Post("/{id}/read")
    @Consumes(MediaType.ALL)
    public HttpResponse<Void> read(String id, Authentication user) {
        UUID notificationId;
        try {
            notificationId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotificationNotFound(id);
        }
        if (notifications.markRead(notificationId, user.getName(), Instant.now().truncatedTo(ChronoUnit.MILLIS)) == 0) {
            throw new NotificationNotFound(id);
        }
        return HttpResponse.noContent();
    }

    /** No such notification for this user (another user's is reported the same way). */
    static class NotificationNotFound extends RuntimeException {
        NotificationNotFound(String id) {
            super("No notification " + id);
        }
    }
}
