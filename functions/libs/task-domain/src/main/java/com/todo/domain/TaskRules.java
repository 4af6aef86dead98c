package com.todo.domain;

import com.todo.events.TaskLimits;
import com.todo.events.TaskStatus;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.todo.events.TaskLimits.EARLIEST;
import static com.todo.events.TaskLimits.LATEST;
import static com.todo.events.TaskLimits.MAX_DESCRIPTION;
import static com.todo.events.TaskLimits.MAX_INTERVAL;
import static com.todo.events.TaskLimits.MAX_REMINDERS;
import static com.todo.events.TaskLimits.MAX_TAG;
import static com.todo.events.TaskLimits.MAX_TAGS;
import static com.todo.events.TaskLimits.MAX_TITLE;
import static com.todo.events.TaskLimits.MAX_USER_ID;
import static com.todo.events.TaskLimits.RECURRENCE_HORIZON_YEARS;
import static com.todo.events.TaskLimits.inRange;

/**
 * The task model's rules (the {@link TaskLimits}, enums, time zone, reminders, RRULE); plain Java so any producer
 * can use it.
 */
public final class TaskRules {

    public static final Set<String> STATUSES = TaskStatus.ALL;
    public static final Set<String> PRIORITIES = Set.of("high", "medium", "low");
    public static final String DEFAULT_PRIORITY = "medium";
    public static final String DEFAULT_STATUS = TaskStatus.PENDING;
    public static final String DEFAULT_TIME_ZONE = "UTC";

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
        if (title == null || isBlank(draft.title())) {
            errors.add(new FieldError("title", "is required and must not be blank"));
        } else if (length(draft.title()) > MAX_TITLE) {
            errors.add(new FieldError("title", "must be at most " + MAX_TITLE + " characters"));
        } else if (hasControl(title, false)) {
            errors.add(new FieldError("title", "must not contain control characters (line breaks, tabs, NUL)"));
        }
        if (draft.description() != null && length(draft.description()) > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        } else if (draft.description() != null && hasControl(draft.description(), true)) {
            errors.add(new FieldError("description", "must not contain control characters other than tab and line breaks"));
        }
        oneOf("status", draft.status(), STATUSES, errors);
        if (TaskStatus.SKIPPED.equals(draft.status()) && draft.rule() == null) {
            errors.add(new FieldError("status", "only an occurrence of a recurring task can be skipped (the task has "
                    + "no recurrence)"));
        }
        oneOf("priority", draft.priority(), PRIORITIES, errors);
        List<String> tags = checkTags(draft.tags(), errors);
        checkZone(draft.timeZone(), errors);
        checkInstant("dueAt", draft.dueAt(), errors);
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
            if (tag == null || isBlank(tag) || length(tag) > MAX_TAG) {
                errors.add(new FieldError("tags[" + i + "]", "must be 1 to " + MAX_TAG + " characters"));
            } else if (hasControl(tag, false)) {
                errors.add(new FieldError("tags[" + i + "]", "must not contain control characters"));
            } else {
                unique.add(tag);
            }
        }
        if (tags.size() > MAX_TAGS) {
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
                    } else if (inRange(draft.dueAt()) && ZoneId.getAvailableZoneIds().contains(draft.timeZone())) {
                        checkRemindAt(field + ".before", r, draft, errors);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(field + ".before", e.getMessage()));
                }
            } else {
                checkInstant(field + ".at", r.at(), errors);
            }
        }
    }

    private static void checkRemindAt(String field, TaskDraft.ReminderDraft r, TaskDraft draft, List<FieldError> errors) {
        try {
            if (inRange(remindAt(r, draft.dueAt(), draft.timeZone()))) {
                return;
            }
        } catch (DateTimeException | ArithmeticException beyondAnyCalendar) {
            // answered below
        }
        errors.add(new FieldError(field, "puts the reminder before " + EARLIEST));
    }

    private static void checkInstant(String field, Instant instant, List<FieldError> errors) {
        if (instant != null && !inRange(instant)) {
            errors.add(new FieldError(field, "must be from " + EARLIEST + " to " + LATEST));
        }
    }

    /**
     * A character that shows: not a control and not a space of any kind (ECMAScript's whitespace set). The OpenAPI
     * document's patterns use the same set, so the API and its contract agree on what is blank.
     */
    public static final String VISIBLE = "[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
    private static final Pattern VISIBLE_CHARACTER = Pattern.compile(VISIBLE);

    public static boolean isBlank(String text) {
        return !VISIBLE_CHARACTER.matcher(text).find();
    }

    /** Length in code points: an emoji is one character, as JSON Schema and PostgreSQL count. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Control characters (Unicode Cc: NUL, ESC, line breaks …); {@code multiline} allows tab, CR and LF. */
    public static boolean hasControl(String text, boolean multiline) {
        return text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL
                && !(multiline && (c == '\t' || c == '\n' || c == '\r')));
    }

    /**
     * Why a token subject cannot own tasks, or null: it is stored with every task and carried by every event.
     */
    public static String userIdProblem(String userId) {
        if (userId == null || userId.isBlank()) {
            return "the token's sub must be a non-blank string";
        }
        if (length(userId) > MAX_USER_ID) {
            return "the token's sub must be at most " + MAX_USER_ID + " characters";
        }
        if (hasControl(userId, false)) {
            return "the token's sub must not contain control characters";
        }
        return null;
    }

    private static void checkRule(TaskDraft draft, List<FieldError> errors) {
        if (draft.dueAt() == null) {
            errors.add(new FieldError("recurrence", "needs the task's dueAt (the first occurrence)"));
        }
        RecurrenceRule rule;
        try {
            rule = new RecurrenceRule(draft.rule(), RecurrenceRule.RfcMode.RFC5545_STRICT);
        } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
            errors.add(new FieldError("recurrence.rule", "is not a valid RFC 5545 RRULE: " + e.getMessage()));
            return;
        }
        if (rule.getFreq() == Freq.SECONDLY || rule.hasPart(RecurrenceRule.Part.BYSECOND)) {
            errors.add(new FieldError("recurrence.rule", "may recur at most every minute (no FREQ=SECONDLY or "
                    + "BYSECOND): an occurrence keeps the seconds of dueAt"));
        } else if (rule.getInterval() > MAX_INTERVAL) {
            errors.add(new FieldError("recurrence.rule", "INTERVAL must be at most " + MAX_INTERVAL));
        } else if (draft.dueAt() != null && inRange(draft.dueAt())
                && ZoneId.getAvailableZoneIds().contains(draft.timeZone()) && !occursSoon(rule, draft)) {
            errors.add(new FieldError("recurrence.rule", "has no occurrence within " + RECURRENCE_HORIZON_YEARS
                    + " years of dueAt (check BYMONTH, BYMONTHDAY, UNTIL and COUNT)"));
        }
    }

    /** lib-recur refuses a rule whose candidates it filters out too long ("never occurs") with an exception. */
    private static boolean occursSoon(RecurrenceRule rule, TaskDraft draft) {
        Instant horizon = ZonedDateTime.ofInstant(draft.dueAt(), ZoneId.of(draft.timeZone()))
                .plusYears(RECURRENCE_HORIZON_YEARS).toInstant();
        try {
            RecurrenceRuleIterator instances = rule.iterator(draft.dueAt().toEpochMilli(),
                    TimeZone.getTimeZone(draft.timeZone()));
            return instances.hasNext() && instances.nextMillis() <= horizon.toEpochMilli();
        } catch (IllegalArgumentException never) {
            return false;
        }
    }
}
