package com.todo.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Resolves a reminder's {@code before} offset (ISO-8601 duration) against a due time, calendar-aware in the task's
 * time zone: {@code P1D} is the same local time a day earlier even across a DST change, {@code PT24H} is 24 hours.
 */
public final class ReminderTimes {

    /** The durations accepted, as the event schema and the OpenAPI document state them (java.time alone takes more). */
    public static final String PATTERN =
            "^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?$";
    private static final Pattern DURATION = Pattern.compile(PATTERN);

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
        if (text == null || !DURATION.matcher(text).matches()) {
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
        } catch (ArithmeticException e) {
            // weeks and days summed, or a field past java.time's range
            throw new IllegalArgumentException("is too long a duration", e);
        }
    }

    public static Instant before(Instant dueAt, ZoneId zone, String offset) {
        Offset o = parse(offset);
        return dueAt.atZone(zone).minus(o.period()).toInstant().minus(o.duration());
    }
}
