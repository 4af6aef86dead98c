package com.todo.taskcompleted;

import com.todo.events.TaskLimits;
import com.todo.events.TaskSnapshot;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.Instant;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The next occurrence of a recurring task (architecture D6), evaluated by lib-recur in the task's time zone from the
 * stored series start (DTSTART), so COUNT and UNTIL count from it and local times survive DST changes: the first
 * instance after the completed occurrence's due time that is also in the future — occurrences missed while the
 * task was late are skipped (lib-recur's fast-forward skips them by arithmetic, however old the series). Empty when
 * the series is exhausted, never occurs again, or its next instance lies past {@link TaskLimits#LATEST}.
 */
public final class NextOccurrence {

    private NextOccurrence() {
    }

    public static Optional<Instant> after(TaskSnapshot task, Instant now) {
        TaskSnapshot.Recurrence recurrence = task.recurrence();
        if (recurrence == null || task.dueAt() == null) {
            return Optional.empty();
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
        try {
            RecurrenceRuleIterator instances = rule.iterator(recurrence.seriesStart().toEpochMilli(),
                    TimeZone.getTimeZone(task.timeZone()));
            instances.fastForward(floor.minusSeconds(1).toEpochMilli());
            while (instances.hasNext()) {
                Instant instance = Instant.ofEpochSecond(Math.floorDiv(instances.nextMillis(), 1000L), nanos);
                if (instance.isAfter(TaskLimits.LATEST)) {
                    return Optional.empty();
                }
                if (instance.isAfter(floor)) {
                    return Optional.of(instance);
                }
            }
        } catch (IllegalArgumentException neverAgain) {
            // lib-recur gives up on a rule whose candidates it keeps filtering out: the series has no next instance
        }
        return Optional.empty();
    }
}
