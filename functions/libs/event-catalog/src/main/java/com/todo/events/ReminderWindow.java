package com.todo.events;

import java.time.Duration;
import java.time.Instant;

/**
 * Which reminders fire (D6), one rule for the function that schedules them and the sweep that catches lost jobs:
 * a reminder fires when its time was still ahead, or had passed by less than {@link #LATE}, when its task was last
 * written. The grace is for the write, not the user: a request may wait that long for the database (a restart, a
 * failover, an exhausted pool) after it was sent with a time a few seconds ahead, and the answer still says 201; such
 * a reminder fires at once. A reminder further in the past (an imported or edited old task) is history and never
 * fires.
 */
public final class ReminderWindow {

    /** In seconds, for SQL. */
    public static final long LATE_SECONDS = 300;
    public static final Duration LATE = Duration.ofSeconds(LATE_SECONDS);

    private ReminderWindow() {
    }

    /** Whether a reminder at {@code remindAt} of a task written at {@code writtenAt} is to fire. */
    public static boolean fires(Instant remindAt, Instant writtenAt) {
        return remindAt.isAfter(writtenAt.minus(LATE));
    }
}
