package com.todo.domain;

import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.events.TaskSnapshot;
import com.todo.events.TaskStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every change to a task: the rows and exactly one outbox event commit in one transaction, and {@code version}
 * grows by one per change. A request that changes nothing writes nothing (so completing twice emits one event).
 */
@Singleton
public class TaskService {

    /** CloudEvent source of the changes made through the API. */
    public static final String SOURCE = "/task-api";

    private final TaskRepository tasks;
    private final ReminderRepository reminders;
    private final TaskSearch search;
    private final Outbox outbox;

    public TaskService(TaskRepository tasks, ReminderRepository reminders, TaskSearch search, Outbox outbox) {
        this.tasks = tasks;
        this.reminders = reminders;
        this.search = search;
        this.outbox = outbox;
    }

    @Transactional
    public TaskSnapshot create(String userId, TaskDraft input) {
        if (TaskStatus.closed(input.status())) {
            throw new InvalidTaskException(List.of(new FieldError("status",
                    "a new task starts pending or in_progress; complete or skip it once it exists")));
        }
        TaskDraft draft = TaskRules.check(input, Set.of());
        Instant now = now();
        UUID id = UUID.randomUUID();
        TaskRow row = row(id, userId, draft, draft.rule() == null ? null : id, draft.rule() == null ? null : draft.dueAt(),
                null, 1, now, now);
        tasks.save(row);
        List<ReminderRow> createdReminders = reminderRows(id, draft);
        if (!createdReminders.isEmpty()) {
            reminders.saveAll(createdReminders);
        }
        TaskSnapshot created = snapshot(row, createdReminders);
        outbox.append(EventType.TASK_CREATED, UUID.randomUUID().toString(), SOURCE, id.toString(), now, created);
        return created;
    }

    @Transactional(readOnly = true)
    public Optional<TaskSnapshot> find(String userId, UUID id) {
        return tasks.findByIdAndUserId(id, userId).map(row -> snapshot(row, reminders.findByTaskIdOrderByPosition(id)));
    }

    @Transactional(readOnly = true)
    public TaskPage list(String userId, TaskQuery query) {
        List<TaskRow> rows = search.find(userId, query);
        Map<UUID, List<ReminderRow>> byTask = rows.isEmpty() ? Map.of()
                : reminders.findByTaskIdInListOrderByPosition(rows.stream().map(TaskRow::id).toList()).stream()
                        .collect(Collectors.groupingBy(ReminderRow::taskId, LinkedHashMap::new, Collectors.toList()));
        List<TaskSnapshot> items = rows.stream().map(r -> snapshot(r, byTask.getOrDefault(r.id(), List.of()))).toList();
        return new TaskPage(items, query.page(), query.size(), search.count(userId, query));
    }

    /**
     * Applies a change computed from the current task (read under a row lock, so concurrent changes serialise).
     * A change from an open status to a closed one ({@code completed}, or {@code skipped} for an occurrence of a
     * series) closes the task: the one com.todo.task.completed event. From closed to open reopens it; from one closed
     * status to the other is an update (the series has gone on already).
     *
     * @param change maps the current task to the new draft; may throw {@link InvalidTaskException}
     * @throws TaskNotFoundException if the user has no such task
     */
    @Transactional
    public TaskSnapshot update(String userId, UUID id, Function<TaskSnapshot, TaskDraft> change) {
        return update(userId, id, VersionPrecondition.ANY, change);
    }

    /**
     * {@link #update(String, UUID, Function)} if the task's current version passes {@code precondition}.
     *
     * @throws VersionMismatchException if it does not (nothing is written)
     */
    @Transactional
    public TaskSnapshot update(String userId, UUID id, VersionPrecondition precondition,
                               Function<TaskSnapshot, TaskDraft> change) {
        TaskRow current = lockForChange(userId, id, VersionPrecondition.ANY);
        TaskSnapshot before = snapshot(current, reminders.findByTaskIdOrderByPosition(id));
        Set<UUID> reminderIds = before.reminders().stream().map(TaskSnapshot.Reminder::id).collect(Collectors.toSet());
        TaskDraft draft = TaskRules.check(change.apply(before), reminderIds);
        // a bad change is refused as such (400/422), whatever version it names (RFC 9110 §13.2.1)
        if (!precondition.test(current.version())) {
            throw new VersionMismatchException(current.version());
        }

        boolean closing = !TaskStatus.closed(before.status()) && TaskStatus.closed(draft.status());
        Instant now = now();
        Instant completedAt = !TaskStatus.COMPLETED.equals(draft.status()) ? null
                : TaskStatus.COMPLETED.equals(before.status()) ? before.completedAt() : now;
        UUID seriesId = draft.rule() != null && before.seriesId() == null ? id : before.seriesId();
        // The series start (DTSTART) moves only when the rule itself changes: COUNT and UNTIL count from it.
        Instant seriesStart = draft.rule() == null ? null
                : before.recurrence() != null && before.recurrence().rule().equals(draft.rule())
                        ? before.recurrence().seriesStart() : draft.dueAt();

        List<ReminderRow> newReminders = reminderRows(id, draft);
        TaskRow unchanged = row(id, userId, draft, seriesId, seriesStart, completedAt, current.version(),
                current.createdAt(), current.updatedAt());
        if (snapshot(unchanged, newReminders).equals(before)) {
            return before;
        }
        TaskRow row = row(id, userId, draft, seriesId, seriesStart, completedAt, current.version() + 1,
                current.createdAt(), now);
        tasks.update(row);
        reminders.deleteByTaskId(id);
        if (!newReminders.isEmpty()) {
            reminders.saveAll(newReminders);
        }
        TaskSnapshot after = snapshot(row, newReminders);
        outbox.append(closing ? EventType.TASK_COMPLETED : EventType.TASK_UPDATED, UUID.randomUUID().toString(),
                SOURCE, id.toString(), now, after);
        return after;
    }

    /** Completes the task; completing a completed task changes nothing and emits nothing. */
    @Transactional
    public TaskSnapshot complete(String userId, UUID id) {
        return complete(userId, id, VersionPrecondition.ANY);
    }

    @Transactional
    public TaskSnapshot complete(String userId, UUID id, VersionPrecondition precondition) {
        return update(userId, id, precondition, current -> withStatus(draftOf(current), TaskStatus.COMPLETED));
    }

    /**
     * Skips this occurrence of a series: closes it without completing it, so the next one is created as completing
     * it would. Skipping a skipped task changes nothing and emits nothing; a completed one is not skipped (422).
     */
    @Transactional
    public TaskSnapshot skip(String userId, UUID id, VersionPrecondition precondition) {
        return update(userId, id, precondition, current -> {
            if (TaskStatus.COMPLETED.equals(current.status())) {
                throw new InvalidTaskException(List.of(new FieldError("status",
                        "the task is completed; reopen it (status pending) to skip it instead")));
            }
            return withStatus(draftOf(current), TaskStatus.SKIPPED);
        });
    }

    /** Deletes the task; the event carries its last state with the deletion's version (a tombstone for consumers). */
    @Transactional
    public void delete(String userId, UUID id) {
        delete(userId, id, VersionPrecondition.ANY);
    }

    @Transactional
    public void delete(String userId, UUID id, VersionPrecondition precondition) {
        TaskRow current = lockForChange(userId, id, precondition);
        Instant now = now();
        TaskRow last = new TaskRow(id, userId, current.title(), current.description(), current.status(),
                current.priority(), current.tags(), current.dueAt(), current.timeZone(), current.recurrenceRule(),
                current.seriesStart(), current.seriesId(), current.version() + 1, current.createdAt(), now,
                current.completedAt());
        TaskSnapshot deleted = snapshot(last, reminders.findByTaskIdOrderByPosition(id));
        tasks.deleteById(id);
        outbox.append(EventType.TASK_DELETED, UUID.randomUUID().toString(), SOURCE, id.toString(), now, deleted);
    }

    /**
     * Creates the next occurrence of a series (architecture D6) with the id the event names, UUIDv5(series id,
     * occurrence time), and its com.todo.task.created through the outbox — once, however often it is asked.
     *
     * @return false when the occurrence exists already
     */
    @Transactional
    public boolean createOccurrence(RecurringScheduled next, String source) {
        if (tasks.existsById(next.nextTaskId())) {
            return false;
        }
        RecurringScheduled.Template t = next.template();
        List<TaskDraft.ReminderDraft> reminderDrafts = t.reminderOffsets().stream()
                .map(offset -> new TaskDraft.ReminderDraft(null, offset, null)).toList();
        TaskDraft draft = TaskRules.check(new TaskDraft(t.title(), t.description(), TaskRules.DEFAULT_STATUS, t.priority(),
                t.tags(), next.occurrenceAt(), t.timeZone(), reminderDrafts, t.rule()), Set.of());
        Instant now = now();
        TaskRow row = row(next.nextTaskId(), next.userId(), draft, next.seriesId(), t.seriesStart(), null, 1, now, now);
        tasks.save(row);
        List<ReminderRow> createdReminders = reminderRows(row.id(), draft);
        if (!createdReminders.isEmpty()) {
            reminders.saveAll(createdReminders);
        }
        TaskSnapshot created = snapshot(row, createdReminders);
        outbox.append(EventType.TASK_CREATED, UUID.randomUUID().toString(), source, row.id().toString(), now, created);
        return true;
    }

    private TaskRow lockForChange(String userId, UUID id, VersionPrecondition precondition) {
        TaskRow current = tasks.findForUpdate(id, userId).orElseThrow(() -> new TaskNotFoundException(id));
        if (!precondition.test(current.version())) {
            throw new VersionMismatchException(current.version());
        }
        return current;
    }

    /** The editable part of a task, as a draft that reproduces it. */
    public static TaskDraft draftOf(TaskSnapshot task) {
        return new TaskDraft(task.title(), task.description(), task.status(), task.priority(), task.tags(),
                task.dueAt(), task.timeZone(),
                task.reminders().stream().map(r -> new TaskDraft.ReminderDraft(r.id(), r.before(), r.at())).toList(),
                task.recurrence() == null ? null : task.recurrence().rule());
    }

    private static TaskDraft withStatus(TaskDraft d, String status) {
        return new TaskDraft(d.title(), d.description(), status, d.priority(), d.tags(), d.dueAt(), d.timeZone(),
                d.reminders(), d.rule());
    }

    private static TaskRow row(UUID id, String userId, TaskDraft d, UUID seriesId, Instant seriesStart,
                               Instant completedAt, long version, Instant createdAt, Instant updatedAt) {
        return new TaskRow(id, userId, d.title(), d.description(), d.status(), d.priority(),
                d.tags().toArray(String[]::new), d.dueAt(), d.timeZone(), d.rule(), seriesStart, seriesId, version,
                createdAt, updatedAt, completedAt);
    }

    /** Keeps the id of a reminder the draft names; a reminder without id is new (D6). */
    private static List<ReminderRow> reminderRows(UUID taskId, TaskDraft draft) {
        List<ReminderRow> rows = new ArrayList<>();
        for (TaskDraft.ReminderDraft r : draft.reminders()) {
            UUID id = r.id() != null ? r.id() : UUID.randomUUID();
            rows.add(new ReminderRow(id, taskId, rows.size(), r.before(), r.at(),
                    TaskRules.remindAt(r, draft.dueAt(), draft.timeZone())));
        }
        return rows;
    }

    static TaskSnapshot snapshot(TaskRow row, List<ReminderRow> reminderRows) {
        return new TaskSnapshot(row.id(), row.userId(), row.title(), row.description(), row.status(), row.priority(),
                Arrays.asList(row.tags()), row.dueAt(), row.timeZone(),
                reminderRows.stream().map(r -> new TaskSnapshot.Reminder(r.id(), r.beforeOffset(), r.at(), r.remindAt()))
                        .toList(),
                row.recurrenceRule() == null ? null : new TaskSnapshot.Recurrence(row.recurrenceRule(), row.seriesStart()),
                row.seriesId(), row.version(), row.createdAt(), row.updatedAt(), row.completedAt());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
