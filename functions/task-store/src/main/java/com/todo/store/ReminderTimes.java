package com.todo.store;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Resolves a reminder's {@code before} offset (ISO-8601 duration) against a due time, calendar-aware in the task's
 * time zone: {@code P1D} is the same local time a day earlier even across a DST change, {@code PT24H} is 24 hours.
 */
public final class ReminderTimes {

    private ReminderTimes() {
    }

    /** A parsed offset: the date part applies to local date-time, the time part to the instant. */
    public record Offset(Period period, Duration duration) {
    }

    /**
     * @throws IllegalArgumentException if the text is not an ISO-8601 duration of years/months/weeks/days and
     *                                  hours/minutes/seconds, or is negative
     */
    public static Offset parse(String text) {
        if (text == null || !text.startsWith("P") || text.length() < 2 || text.endsWith("T")) {
            throw new IllegalArgumentException("not an ISO-8601 duration such as PT15M or P1D");
        }
        int t = text.indexOf('T');
        String datePart = t < 0 ? text : text.substring(0, t);
        String timePart = t < 0 ? null : "P" + text.substring(t);
        try {
            Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
            Duration duration = timePart == null ? Duration.ZERO : Duration.parse(timePart);
            if (period.isNegative() || duration.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return new Offset(period, duration);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration such as PT15M or P1D", e);
        }
    }

    public static Instant before(Instant dueAt, ZoneId zone, String offset) {
        Offset o = parse(offset);
        return dueAt.atZone(zone).minus(o.period()).toInstant().minus(o.duration());
    }
}
