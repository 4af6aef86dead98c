package com.todo.events;

import java.time.Instant;

/**
 * The limits of a task, once for every producer and consumer: the API's validation (TaskRules) enforces them, the
 * event schemas state them (a test holds the two together), docs/api.md lists them. Lengths count Unicode code
 * points, as JSON Schema and PostgreSQL do.
 */
public final class TaskLimits {

    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int MAX_REMINDERS = 10;
    /** A token's subject, the owner stored with every task and carried by every event. */
    public static final int MAX_USER_ID = 255;
    /** Text searched for with {@code q}. */
    public static final int MAX_QUERY = 200;
    /** Every instant (due, reminder, occurrence): RFC 3339 needs a four-digit year; before 1970 is no plan. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** A rule's INTERVAL: larger ones only reach past {@link #LATEST}, and lib-recur's arithmetic overflows. */
    public static final int MAX_INTERVAL = 1000;
    /** A rule must occur within this many years of the task's due time. */
    public static final int RECURRENCE_HORIZON_YEARS = 10;

    private TaskLimits() {
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
