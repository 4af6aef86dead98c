package com.todo.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static Bench.Result result(String target, List<Double> coldStarts, double throughput) {
        return result(target, coldStarts, coldStarts, throughput);
    }

    private static Bench.Result result(String target, List<Double> coldStarts, List<Double> floor, double throughput) {
        return new Bench.Result(target, "JDK 25", coldStarts, floor, 140_000, 80_000, 160_000, 70_000, throughput, 1, 2, 3,
                new Bench.Phases(400, 120, 1500), new Bench.Cost(2, 1, 0, 4, 1));
    }

    /** Issue 25's yardstick: an event function must start within 4× the floor, task-api within 5×. */
    @Test
    void theColdStartTargetIsFourTimesTheFloorForAFunctionAndFiveForTheApi() {
        List<Double> floor = List.of(100.0, 100.0, 100.0);
        List<Double> fourAndAHalf = List.of(450.0, 450.0, 450.0);
        String md = Report.targets(List.of(result("task-created", fourAndAHalf, floor, 400),
                result("task-api", fourAndAHalf, floor, 400)), List.of("JDK 25"), new double[]{1, 1, 1, 1}, 2);
        assertTrue(md.contains("| target | cold start ≤ 4× floor (task-api ≤ 5×) |"), md);
        assertTrue(md.contains("| task-created | **missed**: 4.5×"), md);
        assertTrue(md.contains("| task-api | met: 4.5×"), md);
    }

    /** A JVM run without an AOT cache (the JDK 17 setup) has no cache share to report, rather than 0 MB of it. */
    @Test
    void aRowWithoutAnAotCacheSaysSo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Bench.Result noCache = new Bench.Result("task-created", "JDK 25", List.of(300.0), List.of(100.0), 140_000, 0,
                160_000, 70_000, 400, 1, 2, 3, new Bench.Phases(200, 30, 500), new Bench.Cost(2, 1, 0, 4, 1));
        Report.write(dir, 2, List.of(noCache), List.of("JDK 25"), 1, 3000, 5000, 8, new double[]{100, 200, 220, 230});
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(md.contains("| 500 | 136 MB | — | 156 MB | 87 + 68 MB |"), md);
        assertTrue(md.contains("| **missed**: 136 MB after the first request; warm 156 MB"), md);
    }

    /** Reckoned on 2 cores, whatever machine runs the test. */
    @Test
    void aWrittenReportIsReadBackAndComparedWithANewRun(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Bench.Result> published = List.of(result("JVM floor", List.of(100.0, 120.0, 110.0), 3000),
                result("task-created", List.of(900.0, 1000.0, 1100.0), List.of(100.0, 125.0, 110.0), 400));
        Report.write(dir, 2, published, List.of("JDK 25"), 3, 3000, 5000, 8, new double[]{100, 200, 220, 230});
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(md.contains("| task-created | JDK 25 | 1000 | 900 | 1100 | 9.1 | 400 | 120 | 1500 | 136 MB | 78 MB | 156 MB | 87 + 68 MB |"),
                md);
        assertTrue(md.contains("| task-created | JDK 25 | 2.00 | 1.00 | 0.00 | 4.0 | 1.0 | 667 | 1000 |"), md);
        assertTrue(md.contains("3000 requests at concurrency 8 after a warm-up of 5000,"), md);

        assertTrue(md.contains("| task-created | **missed**: 9.1×: 1500 ms of CPU in 1000 ms (1.5 of 2 cores busy); JVM, class loading and "
                + "HTTP 480 ms, Micronaut startup "
                + "400 ms, first handler 120 ms; floor 110 ms in the same rounds | **missed**: 136 MB after the first request, 78 MB of it the AOT cache; warm 156 MB "
                + "= 87 MB anonymous + 68 MB mapped files | **missed**: 400 of 2000/s: not CPU-bound (cores 60 % busy: the rest "
                + "is waiting), 3.00 ms CPU per request (function 2.00, harness 1.00, PostgreSQL 0.00) on"), md);
        assertTrue(md.contains("Reminder lateness p99 ≤ 1 s: met: p99 220 ms."), md);
        assertTrue(md.contains("![cold start medians](benchmarks.svg)"), md);
        String chart = Files.readString(dir.resolve("benchmarks.svg"));
        assertTrue(chart.startsWith("<svg ") && chart.contains(">task-created</text>") && chart.contains(">1000</text>"),
                "the chart shows each target's median: " + chart);
        // the ratio is against the floor's starts interleaved with the row's, not against the floor row
        Bench.Result slowMinute = result("task-created", List.of(900.0, 1000.0, 1100.0), List.of(240.0, 250.0, 260.0),
                600);
        Report.write(dir, 2, List.of(published.get(0), slowMinute), List.of("JDK 25"), 3, 3000, 5000, 8,
                new double[]{100, 200, 220, 230});
        String paired = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(paired.contains("| task-created | JDK 25 | 1000 | 900 | 1100 | 4.0 |"), paired);
        assertTrue(paired.contains("| task-created | met: 4.0×: 1500 ms of CPU in 1000 ms (1.5 of 2 cores busy); JVM, class loading and "
                + "HTTP 480 ms, Micronaut startup "
                + "400 ms, first handler 120 ms; floor 250 ms in the same rounds |"), paired);
        // 600/s at 3 ms of CPU each keep 2 cores 90 % busy
        assertTrue(paired.contains("| **missed**: 600 of 2000/s: CPU-bound (cores 90 % busy), 3.00 ms CPU per request"),
                paired);
        assertTrue(paired.contains("| met: 3.0 ms (p50 1.0 ms) with the cores saturated |"), paired);

        Map<String, double[]> read = Report.published(dir.resolve("benchmarks.md"));
        assertArrayEquals(new double[]{1000, 600, 4.0}, read.get("task-created / JDK 25"));
        assertArrayEquals(new double[]{110, 3000, 1.0}, read.get("JVM floor / JDK 25"));

        // a faster machine shortens the milliseconds, not the multiple of the floor
        String compared = Report.compare(read, List.of(result("task-created", List.of(600.0), List.of(150.0), 300)));
        assertTrue(compared.contains("| task-created | JDK 25 | 1000 | 600 | -40 % | 4.0 | 4.0 | +0 % | 600 | 300 | -50 % |"),
                compared);
    }

    @Test
    void theFloorRowCountsEveryFloorStartOfItsSetup() {
        List<Bench.Result> merged = Bench.withAllFloorStarts(List.of(
                result("JVM floor", List.of(60.0, 62.0, 64.0), 3000),
                result("task-created", List.of(400.0, 410.0), List.of(80.0, 90.0), 800)));
        assertEquals(List.of(60.0, 62.0, 64.0, 80.0, 90.0), merged.get(0).coldStartMs());
        assertEquals(64.0, Report.median(merged.get(0).coldStartMs()));
        assertEquals(List.of(80.0, 90.0), merged.get(1).floorMs(), "a function's own pairing is left alone");
    }
}
