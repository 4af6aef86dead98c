package com.todo.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recurrence per D6, with exact expected instants. */
class OccurrencesTest {

    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

    private static TaskSnapshot task(String rule, String zone, Instant seriesStart, Instant dueAt) {
        UUID id = UUID.randomUUID();
        return new TaskSnapshot(id, "alice", "t", null, "completed", "medium", List.of(), dueAt, zone, List.of(),
                new TaskSnapshot.Recurrence(rule, seriesStart), id, 2, seriesStart, dueAt, dueAt);
    }

    private static Instant local(String dateTime, String zone) {
        return LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    private static Optional<Instant> next(String rule, String zone, String start, String due, Instant now) {
        return Occurrences.next(task(rule, zone, local(start, zone), local(due, zone)), now);
    }

    @Test
    void theUpcomingOccurrencesKeepTheLocalTimeAcrossADstChangeAndEachIsTheNextOfTheOneBefore() {
        String zone = "Europe/Berlin"; // clocks go forward on 2027-03-28
        TaskSnapshot task = task("FREQ=DAILY", zone, local("2027-03-20T09:00", zone), local("2027-03-26T09:00", zone));
        List<Instant> upcoming = Occurrences.upcoming(task, LONG_AGO, 4);
        assertEquals(List.of(local("2027-03-27T09:00", zone), local("2027-03-28T09:00", zone),
                local("2027-03-29T09:00", zone), local("2027-03-30T09:00", zone)), upcoming);
        assertEquals(Instant.parse("2027-03-27T08:00:00Z"), upcoming.get(0), "09:00 at +01:00");
        assertEquals(Instant.parse("2027-03-28T07:00:00Z"), upcoming.get(1), "09:00 at +02:00");
        // what completing each one in turn creates
        TaskSnapshot occurrence = task;
        for (Instant expected : upcoming) {
            Instant next = Occurrences.next(occurrence, LONG_AGO).orElseThrow();
            assertEquals(expected, next);
            occurrence = task("FREQ=DAILY", zone, local("2027-03-20T09:00", zone), next);
        }
        assertEquals(List.of(local("2026-03-03T09:00", "UTC")),
                Occurrences.upcoming(task("FREQ=DAILY;COUNT=3", "UTC", local("2026-03-01T09:00", "UTC"),
                        local("2026-03-02T09:00", "UTC")), LONG_AGO, 5), "a series stops at its COUNT");
    }

    @Test
    void dailyIsTheNextDayAtTheSameTime() {
        assertEquals(Optional.of(Instant.parse("2026-03-03T09:00:00Z")),
                next("FREQ=DAILY", "UTC", "2026-03-01T09:00", "2026-03-02T09:00", LONG_AGO));
    }

    @Test
    void weeklyOnMondayAndWednesday() {
        // 2026-03-02 is a Monday
        assertEquals(Optional.of(Instant.parse("2026-03-04T08:30:00Z")),
                next("FREQ=WEEKLY;BYDAY=MO,WE", "UTC", "2026-03-02T08:30", "2026-03-02T08:30", LONG_AGO));
        assertEquals(Optional.of(Instant.parse("2026-03-09T08:30:00Z")),
                next("FREQ=WEEKLY;BYDAY=MO,WE", "UTC", "2026-03-02T08:30", "2026-03-04T08:30", LONG_AGO));
    }

    @Test
    void monthlyOnThe31stSkipsMonthsWithoutOne() {
        // after 31 January: not February, not April (RFC 5545: invalid dates are ignored), but 31 March, then 31 May
        assertEquals(Optional.of(Instant.parse("2026-03-31T10:00:00Z")),
                next("FREQ=MONTHLY;BYMONTHDAY=31", "UTC", "2026-01-31T10:00", "2026-01-31T10:00", LONG_AGO));
        assertEquals(Optional.of(Instant.parse("2026-05-31T10:00:00Z")),
                next("FREQ=MONTHLY;BYMONTHDAY=31", "UTC", "2026-01-31T10:00", "2026-03-31T10:00", LONG_AGO));
    }

    @Test
    void countAndUntilAreExhausted() {
        // COUNT counts from the series start: the 3rd of 3 occurrences has no next
        assertEquals(Optional.empty(), next("FREQ=DAILY;COUNT=3", "UTC", "2026-03-01T09:00", "2026-03-03T09:00", LONG_AGO));
        assertEquals(Optional.of(Instant.parse("2026-03-03T09:00:00Z")),
                next("FREQ=DAILY;COUNT=3", "UTC", "2026-03-01T09:00", "2026-03-02T09:00", LONG_AGO));
        assertEquals(Optional.empty(),
                next("FREQ=DAILY;UNTIL=20260305T090000Z", "UTC", "2026-03-01T09:00", "2026-03-05T09:00", LONG_AGO));
        assertEquals(Optional.of(Instant.parse("2026-03-05T09:00:00Z")),
                next("FREQ=DAILY;UNTIL=20260305T090000Z", "UTC", "2026-03-01T09:00", "2026-03-04T09:00", LONG_AGO));
    }

    @Test
    void dailyAt0900BerlinStaysAt0900LocalAcrossDst() {
        // Berlin moves to summer time on 2026-03-29: 09:00 CET is 08:00Z, 09:00 CEST is 07:00Z
        assertEquals(Optional.of(Instant.parse("2026-03-29T07:00:00Z")),
                next("FREQ=DAILY", "Europe/Berlin", "2026-03-20T09:00", "2026-03-28T09:00", LONG_AGO));
        assertEquals(Optional.of(Instant.parse("2026-10-25T08:00:00Z")),
                next("FREQ=DAILY", "Europe/Berlin", "2026-10-20T09:00", "2026-10-24T09:00", LONG_AGO));
    }

    @Test
    void aLateCompletionSkipsTheMissedOccurrences() {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        assertEquals(Optional.of(Instant.parse("2026-03-11T09:00:00Z")),
                next("FREQ=DAILY", "UTC", "2026-03-01T09:00", "2026-03-02T09:00", now));
    }

    @Test
    void aTaskWithoutRecurrenceHasNone() {
        TaskSnapshot t = task("FREQ=DAILY", "UTC", LONG_AGO, LONG_AGO);
        TaskSnapshot plain = new TaskSnapshot(t.id(), t.userId(), t.title(), null, t.status(), t.priority(), t.tags(),
                t.dueAt(), t.timeZone(), t.reminders(), null, null, t.version(), t.createdAt(), t.updatedAt(),
                t.completedAt());
        assertEquals(Optional.empty(), Occurrences.next(plain, LONG_AGO));
    }

    @Test
    void aMinutelySeriesStartedLongAgoStillHasItsNextOccurrence() {
        Instant now = Instant.parse("2026-03-10T12:00:30Z");
        assertEquals(Optional.of(Instant.parse("2026-03-10T12:01:00Z")),
                next("FREQ=MINUTELY", "UTC", "1990-01-01T00:00", "1990-01-01T00:00", now), "no cap on instances");
        assertEquals(Optional.of(Instant.parse("2026-03-10T12:00:31Z")),
                next("FREQ=SECONDLY", "UTC", "2026-01-29T00:00", "2026-01-29T00:00", now), "a series from before the cap");
    }

    @Test
    void theSeriesStartsFractionOfASecondIsKept() {
        Instant start = Instant.parse("2026-03-01T09:00:00.123456Z");
        assertEquals(Optional.of(Instant.parse("2026-03-02T09:00:00.123456Z")),
                Occurrences.next(task("FREQ=DAILY", "UTC", start, start), start));
    }

    @Test
    void aRuleThatNeverOccursAgainEndsTheSeriesInsteadOfFailing() {
        assertEquals(Optional.empty(), next("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "UTC", "2026-02-01T09:00",
                "2026-02-01T09:00", LONG_AGO));
    }

    @Test
    void nothingPastTheLastRepresentableInstant() {
        assertEquals(Optional.empty(), next("FREQ=YEARLY;INTERVAL=1000", "UTC", "9500-01-01T09:00",
                "9500-01-01T09:00", LONG_AGO));
        assertEquals(Optional.of(local("9999-01-01T09:00", "UTC")), next("FREQ=YEARLY", "UTC", "9998-01-01T09:00",
                "9998-01-01T09:00", LONG_AGO));
    }
}
