package com.todo.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily span of local time in a time zone when nothing is delivered beyond in-app; {@code end} before
 * {@code start} spans midnight (22:00–07:00). A delivery that falls inside waits for the span's end.
 */
public record QuietHours(LocalTime start, LocalTime end, String timeZone) {

    /** {@code at} itself if outside quiet hours, else the instant they end. */
    public Instant deferred(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean spansMidnight = end.isBefore(start);
        boolean quiet = spansMidnight ? !time.isBefore(start) || time.isBefore(end)
                : !time.isBefore(start) && time.isBefore(end);
        if (!quiet || start.equals(end)) {
            return at;
        }
        ZonedDateTime endsOn = spansMidnight && !time.isBefore(start) ? local.plusDays(1) : local;
        // atStartOfDay-based: an end that falls in a DST gap resolves to the instant after the gap
        return ZonedDateTime.of(endsOn.toLocalDate(), end, zone).toInstant();
    }
}
