package com.todo.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReminderTimesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void oneDayBeforeIsTheSameLocalTimeAcrossDst() {
        // 2026-10-25: Berlin leaves summer time; 09:00 CET is 08:00Z, a day earlier 09:00 CEST is 07:00Z.
        Instant due = Instant.parse("2026-10-25T08:00:00Z");
        assertEquals(Instant.parse("2026-10-24T07:00:00Z"), ReminderTimes.before(due, BERLIN, "P1D"));
        assertEquals(Instant.parse("2026-10-24T08:00:00Z"), ReminderTimes.before(due, BERLIN, "PT24H"));
    }

    @Test
    void mixedDateAndTimeParts() {
        Instant due = Instant.parse("2026-05-10T12:00:00Z");
        assertEquals(Instant.parse("2026-05-03T10:30:00Z"), ReminderTimes.before(due, ZoneId.of("UTC"), "P1WT1H30M"));
        assertEquals(due, ReminderTimes.before(due, ZoneId.of("UTC"), "PT0S"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "P", "PT", "15M", "PT-5M", "P-1D", "P1DT", "1 day", "PT5X"})
    void rejectsWhatIsNotANonNegativeIsoDuration(String text) {
        assertThrows(IllegalArgumentException.class, () -> ReminderTimes.parse(text));
    }
}
