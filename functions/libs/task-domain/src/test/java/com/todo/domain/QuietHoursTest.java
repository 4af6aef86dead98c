package com.todo.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuietHoursTest {

    private static final QuietHours NIGHTS = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), "Europe/Berlin");
    private static final QuietHours LUNCH = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 30), "UTC");

    @Test
    void outsideQuietHoursADeliveryGoesAtOnce() {
        Instant afternoon = Instant.parse("2030-06-01T13:00:00Z"); // 15:00 in Berlin
        assertEquals(afternoon, NIGHTS.deferred(afternoon));
        assertEquals(Instant.parse("2030-06-01T13:30:00Z"), LUNCH.deferred(Instant.parse("2030-06-01T13:30:00Z")),
                "the end is not quiet");
    }

    @Test
    void quietHoursSpanningMidnightEndTheNextMorningOrThisOne() {
        // 23:30 in Berlin (summer time) waits for 07:00 the next day; 05:00 waits for 07:00 the same day
        assertEquals(Instant.parse("2030-06-02T05:00:00Z"), NIGHTS.deferred(Instant.parse("2030-06-01T21:30:00Z")));
        assertEquals(Instant.parse("2030-06-02T05:00:00Z"), NIGHTS.deferred(Instant.parse("2030-06-02T03:00:00Z")));
        assertEquals(Instant.parse("2030-06-01T13:30:00Z"), LUNCH.deferred(Instant.parse("2030-06-01T12:00:00Z")));
    }

    @Test
    void theEndIsLocalTimeAcrossADstChange() {
        // Berlin goes to summer time on 2030-03-31: 07:00 that morning is 05:00Z, the evening before was 21:00Z
        assertEquals(Instant.parse("2030-03-31T05:00:00Z"), NIGHTS.deferred(Instant.parse("2030-03-30T21:30:00Z")));
    }
}
