package com.todo.store;

import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The task model's rules (limits, enums, time zone, reminders, RRULE); plain Java so any producer can use it. */
public final class TaskRules {

    public static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");
    public static final Set<String> PRIORITIES = Set.of("high", "medium", "low");
    public static final String DEFAULT_PRIORITY = "medium";
    public static final String DEFAULT_STATUS = "pending";
    public static final String DEFAULT_TIME_ZONE = "UTC";
    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int MAX_REMINDERS = 10;

    private TaskRules() {
    }

    /**
     * Checks a draft and returns it normalised (title trimmed, duplicate tags removed).
     *
     * @param knownReminderIds ids a reminder may keep (the task's current reminders; empty on create)
     * @throws InvalidTaskException listing every broken rule
     */
    public static TaskDraft check(TaskDraft draft, Set<UUID> knownReminderIds) {
        List<FieldError> errors = new ArrayList<>();
        String title = draft.title() == null ? null : draft.title().strip();
        if (title == null || title.isEmpty()) {
            errors.add(new FieldError("title", "is required and must not be blank"));
        } else if (title.length() > MAX_TITLE) {
            errors.add(new FieldError("title", "must be at most " + MAX_TITLE + " characters"));
        }
        if (draft.description() != null && draft.description().length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        oneOf("status", draft.status(), STATUSES, errors);
        oneOf("priority", draft.priority(), PRIORITIES, errors);
        List<String> tags = checkTags(draft.tags(), errors);
        checkZone(draft.timeZone(), errors);
        checkReminders(draft, knownReminderIds, errors);
        if (draft.rule() != null) {
            checkRule(draft, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidTaskException(errors);
        }
        return new TaskDraft(title, draft.description(), draft.status(), draft.priority(), tags, draft.dueAt(),
                draft.timeZone(), draft.reminders(), draft.rule());
    }

    /** Resolves when a reminder fires; the draft has passed {@link #check}. */
    public static Instant remindAt(TaskDraft.ReminderDraft reminder, Instant dueAt, String timeZone) {
        return reminder.at() != null ? reminder.at() : ReminderTimes.before(dueAt, ZoneId.of(timeZone), reminder.before());
    }

    private static void oneOf(String field, String value, Set<String> allowed, List<FieldError> errors) {
        if (value == null || !allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + allowed.stream().sorted().toList()
                    + (value == null ? "" : ", not '" + value + "'")));
        }
    }

    private static List<String> checkTags(List<String> tags, List<FieldError> errors) {
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || tag.isBlank() || tag.length() > MAX_TAG) {
                errors.add(new FieldError("tags[" + i + "]", "must be 1 to " + MAX_TAG + " characters"));
            } else {
                unique.add(tag);
            }
        }
        if (unique.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
        }
        return List.copyOf(unique);
    }

    private static void checkZone(String timeZone, List<FieldError> errors) {
        // IANA names only: ZoneId.of would also take offsets such as "+02:00", which have no DST rules.
        if (timeZone == null || !ZoneId.getAvailableZoneIds().contains(timeZone)) {
            errors.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Berlin"
                    + (timeZone == null ? "" : ", not '" + timeZone + "'")));
        }
    }

    private static void checkReminders(TaskDraft draft, Set<UUID> known, List<FieldError> errors) {
        List<TaskDraft.ReminderDraft> reminders = draft.reminders();
        if (reminders.size() > MAX_REMINDERS) {
            errors.add(new FieldError("reminders", "at most " + MAX_REMINDERS + " reminders"));
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < reminders.size(); i++) {
            TaskDraft.ReminderDraft r = reminders.get(i);
            String field = "reminders[" + i + "]";
            if (r.id() != null && (!known.contains(r.id()) || !seen.add(r.id()))) {
                errors.add(new FieldError(field + ".id", "is not a reminder of this task (omit it for a new one)"));
            }
            if ((r.before() == null) == (r.at() == null)) {
                errors.add(new FieldError(field, "needs exactly one of 'before' (a duration) and 'at' (an instant)"));
            } else if (r.before() != null) {
                try {
                    ReminderTimes.parse(r.before());
                    if (draft.dueAt() == null) {
                        errors.add(new FieldError(field + ".before", "needs the task's dueAt"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(field + ".before", e.getMessage()));
                }
            }
        }
    }

    private static void checkRule(TaskDraft draft, List<FieldError> errors) {
        try {
            new RecurrenceRule(draft.rule(), RecurrenceRule.RfcMode.RFC5545_STRICT);
        } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
            errors.add(new FieldError("recurrence.rule", "is not a valid RFC 5545 RRULE: " + e.getMessage()));
        }
        if (draft.dueAt() == null) {
            errors.add(new FieldError("recurrence", "needs the task's dueAt (the first occurrence)"));
        }
    }
}
