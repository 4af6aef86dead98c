package com.todo.taskapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.domain.FieldError;
import com.todo.domain.NotificationRepository;
import com.todo.domain.NotificationRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** How many notifications a bulk marking marked (those already read, or not the caller's, are not counted). */
    @Serdeable
    public record ReadCount(int read) {
    }

    /** {@code {"ids": [...]}} (1 to 100) or {@code {"all": true}}: the caller's unread ones among them are marked read. */
    @Post("/read")
    @Consumes(MediaType.APPLICATION_JSON)
    public ReadCount readMany(@Body byte[] body, Authentication user) {
        ObjectNode request = TaskJson.object(body);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UnprocessableRequestException.onlyFields(request, "", Set.of("ids", "all"),
                "the body is {\"ids\": [...]} or {\"all\": true}");
        if (request.size() != 1) {
            throw new UnprocessableRequestException(request.isEmpty() ? "ids" : "all",
                    "the body is {\"ids\": [notification ids]} or {\"all\": true}, one of them");
        }
        if (request.has("all")) {
            if (!request.get("all").isBoolean()) {
                throw new BadRequestException("all must be a boolean", List.of(new FieldError("all", "not a boolean")));
            }
            if (!request.get("all").booleanValue()) {
                throw new UnprocessableRequestException("all", "all must be true");
            }
            return new ReadCount(notifications.markAllRead(user.getName(), now));
        }
        JsonNode ids = request.get("ids");
        if (!ids.isArray()) {
            throw new BadRequestException("ids must be an array", List.of(new FieldError("ids", "not an array")));
        }
        if (ids.isEmpty() || ids.size() > LIMIT) {
            throw new UnprocessableRequestException("ids", "ids must list 1 to " + LIMIT + " notification ids");
        }
        Set<UUID> marked = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isTextual()) {
                throw new BadRequestException("ids must be strings", List.of(new FieldError("ids[" + i + "]",
                        "not a string")));
            }
            int at = i;
            marked.add(canonicalUuid(id.textValue()).orElseThrow(() -> new UnprocessableRequestException(
                    "ids[" + at + "]", "not a notification id (a UUID such as " + new UUID(0, 0) + ")")));
        }
        return new ReadCount(notifications.markReadAmong(user.getName(), List.copyOf(marked), now));
    }

    /** A UUID in its canonical form only: {@link UUID#fromString} also takes "1-2-3-4-5". */
    private static Optional<UUID> canonicalUuid(String id) {
        if (id.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equalsIgnoreCase(id) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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
