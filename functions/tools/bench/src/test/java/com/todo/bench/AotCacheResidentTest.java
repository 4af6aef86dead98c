package com.todo.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AotCacheResidentTest {

    /** Lines as /proc/PID/smaps prints them: a mapping's header, then its fields. */
    private static final List<String> SMAPS = List.of(
            "34001000-38e5d000 rw-p 00000000 08:01 1234                       /app/app.aot",
            "Size:              80240 kB",
            "Rss:               80040 kB",
            "Pss:               80040 kB",
            "Anonymous:         63636 kB",
            "VmFlags: rd wr mr mw me ac sd",
            "f8800000-f9758000 rw-p 00000000 00:00 0 ",
            "Rss:               15544 kB",
            "7fbdf78e3000-7fbdf896f000 r-xp 00000000 08:01 42                 /usr/lib/jvm/lib/server/libjvm.so",
            "Rss:               10924 kB",
            "7fbdf8a00000-7fbdf8a87000 rw-p 04e5d000 08:01 1234               /app/app.aot",
            "Rss:                 552 kB");

    @Test
    void sumsTheResidentPagesOfEveryMappingOfTheCacheAndNothingElse() {
        assertEquals(80040 + 552, Bench.aotCacheResident(SMAPS));
    }

    @Test
    void aProcessWithoutACacheHasNone() {
        assertEquals(0, Bench.aotCacheResident(SMAPS.subList(6, 10)));
    }
}
