package com.todo.events;

import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The occurrences of a recurring task (architecture D6), evaluated by lib-recur in the task's time zone from the
 * stored series start (DTSTART), so COUNT and UNTIL count from it and local times survive DST changes. The next one
 * is what completing the task now creates (task-completed): the first instance after the occurrence's due time that
 * is also in the future — occurrences missed while the task was late are skipped (lib-recur's fast-forward skips them
 * by arithmetic, however old the series). The upcoming ones (the API's preview) are that one and those after it.
 * None when the series is exhausted, never occurs again, or lies past {@link TaskLimits#LATEST}.
 */
public final class Occurrences {

    private Occurrences() {
    }

    /** The occurrence completing {@code task} at {@code now} creates. */
    public static Optional<Instant> next(TaskSnapshot task, Instant now) {
        List<Instant> next = upcoming(task, now, 1);
        return next.isEmpty() ? Optional.empty() : Optional.of(next.get(0));
    }

    /** Up to {@code count} occurrences: the next one, then each after the one before. */
    public static List<Instant> upcoming(TaskSnapshot task, Instant now, int count) {
        TaskSnapshot.Recurrence recurrence = task.recurrence();
        if (recurrence == null || task.dueAt() == null || count < 1) {
            return List.of();
        }
        RecurrenceRule rule;
        try {
            rule = new RecurrenceRule(recurrence.rule());
        } catch (InvalidRecurrenceRuleException e) {
            throw new IllegalArgumentException("task " + task.id() + " has an invalid rule: " + e.getMessage(), e);
        }
        Instant floor = task.dueAt().isAfter(now) ? task.dueAt() : now;
        // lib-recur counts whole seconds: an occurrence keeps the series start's fraction of a second
        int nanos = recurrence.seriesStart().getNano();
        List<Instant> occurrences = new ArrayList<>();
        try {
            RecurrenceRuleIterator instances = rule.iterator(recurrence.seriesStart().toEpochMilli(),
                    TimeZone.getTimeZone(task.timeZone()));
            instances.fastForward(floor.minusSeconds(1).toEpochMilli());
            while (instances.hasNext() && occurrences.size() < count) {
                Instant instance = Instant.ofEpochSecond(Math.floorDiv(instances.nextMillis(), 1000L), nanos);
                if (instance.isAfter(TaskLimits.LATEST)) {
                    break;
                }
                if (instance.isAfter(floor)) {
                    occurrences.add(instance);
                }
            }
        } catch (IllegalArgumentException neverAgain) {
            // lib-recur gives up on a rule whose candidates it keeps filtering out: the series has no further instance
        }
        return occurrences;
    }
}
