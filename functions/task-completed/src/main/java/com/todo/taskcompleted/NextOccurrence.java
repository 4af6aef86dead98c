package com.todo.taskcompleted;

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
 * task was late are skipped. Empty when the series is exhausted.
 */
public final class NextOccurrence {

    /** Upper bound on instances examined (a minutely rule over years); beyond it the series counts as ended. */
    private static final int MAX_INSTANCES = 1_000_000;

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
        long floor = Math.max(task.dueAt().toEpochMilli(), now.toEpochMilli());
        RecurrenceRuleIterator instances = rule.iterator(recurrence.seriesStart().toEpochMilli(),
                TimeZone.getTimeZone(task.timeZone()));
        for (int i = 0; i < MAX_INSTANCES && instances.hasNext(); i++) {
            long instance = instances.nextMillis();
            if (instance > floor) {
                return Optional.of(Instant.ofEpochMilli(instance));
            }
        }
        return Optional.empty();
    }
}
