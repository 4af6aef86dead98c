package com.todo.taskapi;

import com.todo.events.Occurrences;
import com.todo.events.TaskLimits;
import com.todo.events.TaskSnapshot;
import com.todo.events.TraceContext;
import com.todo.domain.IdempotencyKeys;
import com.todo.domain.TaskNotFoundException;
import com.todo.domain.TaskPage;
import com.todo.domain.TaskQuery;
import com.todo.domain.TaskRules;
import com.todo.domain.TaskService;
import com.todo.domain.VersionPrecondition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The user-facing task API. Every read and write is scoped to the token's subject. */
@Controller("/api/v1/tasks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden // the contract is src/main/openapi/task-api.yml (OpenApiContractTest)
public class TasksController {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final int MAX_PAGE_SIZE = 100;
    /** RFC 3339 with the zone's offset, seconds always shown (ISO_OFFSET_DATE_TIME drops zero seconds). */
    private static final DateTimeFormatter LOCAL_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z").toFormatter();

    private final TaskService tasks;
    private final IdempotencyKeys idempotencyKeys;

    /** W3C trace context: the events a request causes carry it, so its trace reaches every function. */
    private static final String TRACEPARENT = "traceparent";

    public TasksController(TaskService tasks, IdempotencyKeys idempotencyKeys) {
        this.tasks = tasks;
        this.idempotencyKeys = idempotencyKeys;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<TaskSnapshot> create(HttpRequest<?> request, @Body byte[] body, Authentication user,
                                             @Nullable @Header(TRACEPARENT) String traceparent) {
        var json = TaskJson.object(body);
        try (TraceContext.Scope trace = TraceContext.open(traceparent)) {
            TaskSnapshot created = once(request, TaskJson.bytes(json), user,
                    () -> tasks.create(user.getName(), TaskJson.draftForCreate(json)));
            return tagged(HttpResponse.created(created, URI.create("/api/v1/tasks/" + created.id())), created);
        }
    }

    @Get
    public TaskPage list(@Nullable @QueryValue String status,
                         @Nullable @QueryValue String priority,
                         @Nullable @QueryValue String tag,
                         @Nullable @QueryValue String dueBefore,
                         @Nullable @QueryValue String dueAfter,
                         @Nullable @QueryValue String q,
                         @Nullable @QueryValue String sort,
                         @Nullable @QueryValue String page,
                         @Nullable @QueryValue String size,
                         Authentication user) {
        if (status != null && !TaskRules.STATUSES.contains(status)) {
            throw new BadRequestException("status must be one of " + TaskRules.STATUSES.stream().sorted().toList());
        }
        if (priority != null && !TaskRules.PRIORITIES.contains(priority)) {
            throw new BadRequestException("priority must be one of " + TaskRules.PRIORITIES.stream().sorted().toList());
        }
        TaskQuery.Sort order = sort == null ? TaskQuery.Sort.CREATED_AT : TaskQuery.Sort.ofParameter(sort)
                .orElseThrow(() -> new BadRequestException("sort must be one of dueAt, -dueAt, priority, -priority, "
                        + "createdAt, -createdAt"));
        text("tag", tag, TaskLimits.MAX_TAG);
        text("q", q, TaskLimits.MAX_QUERY);
        TaskQuery query = new TaskQuery(status, priority, tag, instant("dueBefore", dueBefore),
                instant("dueAfter", dueAfter), q, order, integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE),
                integer("size", size, 20, 1, MAX_PAGE_SIZE));
        return tasks.list(user.getName(), query);
    }

    @Get("/{id}")
    public HttpResponse<TaskSnapshot> get(HttpRequest<?> request, String id, Authentication user) {
        UUID taskId = taskId(id);
        TaskSnapshot task = tasks.find(user.getName(), taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (EntityTags.noneMatchFails(request, task.version())) {
            return HttpResponse.<TaskSnapshot>notModified().header(HttpHeaders.ETAG, EntityTags.of(task.version()));
        }
        return tagged(HttpResponse.ok(task), task);
    }

    /** The next due times of a recurring task, as completing each in turn would create them (empty for another). */
    @Serdeable
    public record Occurrence(Instant dueAt, String localDueAt) {
    }

    @Serdeable
    public record OccurrenceList(String timeZone, List<Occurrence> items) {
    }

    @Get("/{id}/occurrences")
    public OccurrenceList occurrences(String id, @Nullable @QueryValue String count, Authentication user) {
        UUID taskId = taskId(id);
        int n = integer("count", count, 5, 1, MAX_PAGE_SIZE);
        TaskSnapshot task = tasks.find(user.getName(), taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        ZoneId zone = ZoneId.of(task.timeZone());
        return new OccurrenceList(task.timeZone(), Occurrences.upcoming(task, Instant.now(), n).stream()
                .map(at -> new Occurrence(at, LOCAL_TIME.format(at.atZone(zone)))).toList());
    }

    @Patch("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public HttpResponse<TaskSnapshot> patch(HttpRequest<?> request, String id, @Body byte[] body, Authentication user,
                                            @Nullable @Header(TRACEPARENT) String traceparent) {
        var patch = TaskJson.object(body);
        UUID taskId = taskId(id);
        try (TraceContext.Scope trace = TraceContext.open(traceparent)) {
            return tagged(tasks.update(user.getName(), taskId, EntityTags.ifMatch(request),
                    current -> TaskJson.draftForPatch(current, patch)));
        }
    }

    @Post("/{id}/complete")
    @Consumes(MediaType.ALL)
    public HttpResponse<TaskSnapshot> complete(HttpRequest<?> request, String id, Authentication user,
                                               @Nullable @Header(TRACEPARENT) String traceparent) {
        return close(request, id, user, traceparent, tasks::complete);
    }

    @Post("/{id}/skip")
    @Consumes(MediaType.ALL)
    public HttpResponse<TaskSnapshot> skip(HttpRequest<?> request, String id, Authentication user,
                                           @Nullable @Header(TRACEPARENT) String traceparent) {
        return close(request, id, user, traceparent, tasks::skip);
    }

    /** A change of status without a body (complete, skip): once per Idempotency-Key, if still at If-Match. */
    private HttpResponse<TaskSnapshot> close(HttpRequest<?> request, String id, Authentication user,
                                             @Nullable String traceparent, StatusChange change) {
        UUID taskId = taskId(id);
        var precondition = EntityTags.ifMatch(request);
        try (TraceContext.Scope trace = TraceContext.open(traceparent)) {
            return tagged(once(request, new byte[0], user,
                    () -> change.apply(user.getName(), taskId, precondition)));
        }
    }

    @FunctionalInterface
    private interface StatusChange {
        TaskSnapshot apply(String userId, UUID taskId, VersionPrecondition precondition);
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, String id, Authentication user,
                                     @Nullable @Header(TRACEPARENT) String traceparent) {
        UUID taskId = taskId(id);
        try (TraceContext.Scope trace = TraceContext.open(traceparent)) {
            tasks.delete(user.getName(), taskId, EntityTags.ifMatch(request));
        }
        return HttpResponse.noContent();
    }

    /** The change, once per Idempotency-Key if the request has one. */
    private TaskSnapshot once(HttpRequest<?> request, byte[] canonicalBody, Authentication user,
                              Supplier<TaskSnapshot> change) {
        return IdempotencyKey.of(request, canonicalBody)
                .map(key -> idempotencyKeys.once(user.getName(), key.value(), key.fingerprint(), TaskSnapshot.class,
                        change))
                .orElseGet(change);
    }

    private static HttpResponse<TaskSnapshot> tagged(TaskSnapshot task) {
        return tagged(HttpResponse.ok(task), task);
    }

    private static HttpResponse<TaskSnapshot> tagged(MutableHttpResponse<TaskSnapshot> response, TaskSnapshot task) {
        return response.header(HttpHeaders.ETAG, EntityTags.of(task.version()));
    }

    /** A malformed id names no task: 404, like another user's task. */
    private static UUID taskId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new TaskNotFoundException(id);
        }
    }

    /** Text no task can hold (too long, control characters, half a character) matches nothing: a 400 says why. */
    static void text(String name, String value, int maxLength) {
        if (value != null && (TaskRules.length(value) > maxLength || TaskRules.hasControl(value, false)
                || !TaskJson.wellFormed(value))) {
            throw new BadRequestException(name + " must be at most " + maxLength + " characters, without control "
                    + "characters");
        }
    }

    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant instant = TaskJson.rfc3339(value);
        if (instant == null) {
            throw new BadRequestException(name + " must be an RFC 3339 date-time such as 2026-05-01T00:00:00Z");
        }
        if (!TaskLimits.inRange(instant)) {
            throw new BadRequestException(name + " must be from " + TaskLimits.EARLIEST + " to " + TaskLimits.LATEST);
        }
        return instant;
    }

    static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException(name + " must be a whole number from " + min + " to " + max);
    }
}
