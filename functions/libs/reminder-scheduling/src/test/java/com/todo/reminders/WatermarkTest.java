package com.todo.reminders;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a takeover may assume is scheduled, from the watermark a crashed handler left. */
class WatermarkTest {

    private static final Instant T1 = Instant.parse("2030-01-01T08:00:00Z");
    private static final Instant T2 = Instant.parse("2030-01-01T09:00:00Z");
    private static final Instant T3 = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void ofAnAppliedVersionWhatItWantedIsScheduled() {
        Watermark applied = new Watermark(2, true, false, Instant.now(), Map.of(), Map.of("a", T1));
        assertEquals(Map.of("a", T1), applied.possiblyScheduled());
    }

    @Test
    void ofAClaimNotAppliedOnlyWhatItLeftAloneIsKnown() {
        // kept a at T1, meant to cancel b, to move c from T2 to T3 and to add d: any of those may not have happened
        Watermark crashed = new Watermark(3, false, false, Instant.EPOCH, Map.of("a", T1, "b", T2, "c", T2),
                Map.of("a", T1, "c", T3, "d", T3));
        Map<String, Instant> expected = new HashMap<>();
        expected.put("a", T1);
        expected.put("b", null);
        expected.put("c", null);
        expected.put("d", null);
        assertEquals(expected, crashed.possiblyScheduled(), "a takeover cancels or schedules b, c and d again");

        // what the store gives back after a round trip still says unknown
        Watermark next = new Watermark(4, false, false, Instant.now(), crashed.possiblyScheduled(), Map.of("d", T3));
        assertEquals(next, TaskWatermarks.read(TaskWatermarks.write(next)));
    }
}
